/**
 * Counts real engine builds from the engine itself, for e2e tests and benchmarks: nothing in the
 * product writes a build log for them.
 *
 * How: while `run` works, follow the daemon's image events (`docker events`, filtered to `tag`).
 * A build names its image with every `-t` it was given, including the content-hash tag
 * (`<repository>/<variant>:ch-<hash>[-dev]`); an image that is already there only gets its version
 * tags again (tools/imagesmith/src/workflows/build.ts), and a pull logs `pull`, not `tag`. So a
 * `tag` event for a content-hash reference under the repository is one engine build, even a build
 * that BuildKit answered entirely from its cache (same image id, same Created time: comparing image
 * ids or timestamps would miss it). The stream is followed live from a mark taken on the daemon's
 * clock: `docker events --since T --until T'` alone replays only the daemon's last 256 events,
 * which other jobs on the same engine can push out during a long build.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineBuild {
  /** The variant's repository name under the workspace repository, e.g. `child`. */
  image: string;
  stage: 'production' | 'development';
  /** The content-hash reference the build was tagged with. */
  ref: string;
  imageId: string;
}

interface ImageEvent {
  Action: string;
  Actor: { ID: string; Attributes: { name?: string } };
}

const CONTENT_TAG = /^(.+):ch-[0-9a-f]+(-dev)?$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The engine builds of images under `repository` (e.g. `127.0.0.1:5000/e2e-123`) while `run`
 * runs, in the order the engine finished them.
 */
export async function engineBuildsDuring<T>(
  repository: string,
  run: () => T | Promise<T>,
  docker = '/usr/bin/docker',
): Promise<{ result: T; builds: EngineBuild[] }> {
  const sh = (...args: string[]) => execFileSync(docker, args, { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-build-events-'));
  const file = join(dir, 'events.jsonl');
  const fd = openSync(file, 'w');
  // --since on the daemon's own clock, so nothing between the mark and the subscription is lost.
  const since = sh('info', '--format', '{{.SystemTime}}');
  const follower = spawn(
    docker,
    // prettier-ignore
    ['events', '--since', since, '--filter', 'type=image', '--filter', 'event=tag', '--format', '{{json .}}'],
    // Straight to a file: nothing is lost while `run` blocks the event loop (execFileSync).
    { stdio: ['ignore', fd, 'ignore'] },
  );
  try {
    const result = await run();
    await flush(sh, file);
    return { result, builds: parse(readFileSync(file, 'utf8'), repository) };
  } finally {
    follower.kill();
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Wait until every event up to now has reached the file: events arrive in order, so once a
 * sentinel tag made now shows up, every build before it has too.
 */
async function flush(sh: (...args: string[]) => string, file: string): Promise<void> {
  const source = sh('image', 'ls', '--quiet').split('\n')[0];
  if (!source) return; // no image at all, so no build to wait for
  const sentinel = `imagesmith-build-watch:${process.pid}-${Date.now()}`;
  sh('tag', source, sentinel);
  try {
    for (let waited = 0; !readFileSync(file, 'utf8').includes(sentinel); waited += 50) {
      if (waited > 15_000) throw new Error(`docker events did not report ${sentinel} in 15 s`);
      await sleep(50);
    }
  } finally {
    sh('rmi', sentinel);
  }
}

function parse(text: string, repository: string): EngineBuild[] {
  const prefix = `${repository.replace(/\/$/, '')}/`;
  const out: EngineBuild[] = [];
  for (const line of text.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as ImageEvent;
    const ref = event.Actor.Attributes.name ?? '';
    const m = CONTENT_TAG.exec(ref);
    if (event.Action !== 'tag' || !m || !ref.startsWith(prefix)) continue;
    out.push({
      image: m[1]!.slice(prefix.length),
      stage: m[2] ? 'development' : 'production',
      ref,
      imageId: event.Actor.ID,
    });
  }
  return out;
}
