/**
 * Counts real engine builds from the engine itself, for e2e tests and benchmarks: nothing in the
 * product writes a build log for them.
 *
 * How: while `run` works, follow the image records of the engine's containerd (Docker's containerd
 * image store: every image the engine holds is a containerd image in the `moby` namespace). A build
 * names its image with every `-t` it was given, including the content-hash tag
 * (`<repository>/<variant>:ch-<hash>[-dev]`), and each name is a containerd `/images/create` (new
 * name) or `/images/update` (a name that already pointed somewhere) event; an image that is already
 * there only gets its version tags again (tools/imagesmith/src/workflows/build/build.ts). So such an event
 * for a content-hash reference under the repository is one engine build, even a build that BuildKit
 * answered entirely from its cache (same image id, same Created time: comparing image ids or
 * timestamps would miss it) — unless a pull made it: a pull writes the same containerd event, and
 * the engine logs it as a Docker `pull` event naming the reference, so each `pull` of a reference
 * cancels one containerd event of it. (Docker 26 logs no Docker `tag` event for the names a build
 * gives, so the Docker event stream alone cannot count builds on this store.)
 *
 * Both streams are followed live: containerd's from a subscription confirmed before `run` starts,
 * Docker's from a mark taken on the daemon's clock (`docker events --since T --until T'` alone
 * replays only the daemon's last 256 events, which other jobs on the same engine can push out
 * during a long build). Each is flushed with a sentinel made after `run` (a containerd namespace, a
 * Docker volume), so no image is needed for it.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EngineBuild {
  /** The variant's repository name under the workspace repository, e.g. `child`. */
  image: string;
  stage: 'production' | 'development';
  /** The content-hash reference the build was tagged with. */
  ref: string;
  /** The id of the image `ref` names once `run` is done ('' when it is gone by then). */
  imageId: string;
}

/** An engine to watch: its docker CLI (a path bound to it) and its containerd's socket. */
export interface BuildEngine {
  docker: string;
  containerd: string;
}

/**
 * The engine .ci/setup-engine.sh starts: dockerd runs its own containerd under its exec root
 * (/var/run/docker), or uses the system's containerd when one answers at /run/containerd.
 */
export const FIRST_ENGINE: BuildEngine = {
  docker: '/usr/bin/docker',
  containerd:
    ['/var/run/docker/containerd/containerd.sock', '/run/containerd/containerd.sock'].find((s) =>
      existsSync(s),
    ) ?? '/var/run/docker/containerd/containerd.sock',
};

/** The containerd namespace Docker keeps its images in. */
const NAMESPACE = 'moby';
const CONTENT_TAG = /^(.+):ch-[0-9a-f]+(-dev)?$/;
// `ctr events` prints: <date> <time> <zone> UTC <namespace> <topic> <json>
const CTR_EVENT = /^\S+ \S+ \S+ \S+ (\S+) (\/[a-z]+\/[a-z]+) (\{.*\})\s*$/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sentinels = 0;

interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: { name?: string } };
}

/**
 * The engine builds of images under `repository` (e.g. `127.0.0.1:5000/e2e-123`) while `run`
 * runs, in the order the engine finished them. `engine`: the first engine (a docker path alone
 * means that engine's containerd), or a second one (support/second-engine.ts: `buildEngine`).
 */
export async function engineBuildsDuring<T>(
  repository: string,
  run: () => T | Promise<T>,
  engine: string | BuildEngine = FIRST_ENGINE,
): Promise<{ result: T; builds: EngineBuild[] }> {
  const { docker, containerd } =
    typeof engine === 'string' ? { ...FIRST_ENGINE, docker: engine } : engine;
  const sh = (...args: string[]) => execFileSync(docker, args, { encoding: 'utf8' }).trim();
  const ctr = (...args: string[]) =>
    execFileSync('ctr', ['--address', containerd, ...args], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-build-events-'));
  const ctrFile = join(dir, 'containerd.log');
  const dockerFile = join(dir, 'docker.jsonl');
  const ctrFd = openSync(ctrFile, 'w');
  const dockerFd = openSync(dockerFile, 'w');
  // --since on the daemon's own clock, so nothing between the mark and the subscription is lost.
  const since = sh('info', '--format', '{{.SystemTime}}');
  // Straight to files: nothing is lost while `run` blocks the event loop (execFileSync).
  const ctrFollower = spawn(
    'ctr',
    ['--address', containerd, 'events', 'topic~="^/images/"', 'topic~="^/namespaces/"'],
    { stdio: ['ignore', ctrFd, 'ignore'] },
  );
  const dockerFollower = spawn(
    docker,
    // prettier-ignore
    ['events', '--since', since, '--filter', 'type=image', '--filter', 'type=volume', '--filter', 'event=pull', '--filter', 'event=create', '--format', '{{json .}}'],
    { stdio: ['ignore', dockerFd, 'ignore'] },
  );
  // A follower that cannot start (no `ctr`: it comes with Debian's containerd package, which
  // setup-engine.sh installs) fails the first sentinel below, by name; not an unhandled error.
  for (const follower of [ctrFollower, dockerFollower]) follower.on('error', () => undefined);
  try {
    // containerd replays nothing: the subscription must be live before `run` starts.
    await sentinel(ctrFile, (name) => {
      ctr('namespaces', 'create', name);
      ctr('namespaces', 'remove', name);
    });
    const result = await run();
    await Promise.all([
      sentinel(ctrFile, (name) => {
        ctr('namespaces', 'create', name);
        ctr('namespaces', 'remove', name);
      }),
      sentinel(dockerFile, (name) => {
        sh('volume', 'create', name);
        sh('volume', 'rm', name);
      }),
    ]);
    const builds = parse(
      readFileSync(ctrFile, 'utf8'),
      readFileSync(dockerFile, 'utf8'),
      repository,
    );
    for (const b of builds) {
      try {
        b.imageId = sh('image', 'inspect', '--format', '{{.Id}}', b.ref);
      } catch {
        // removed meanwhile
      }
    }
    return { result, builds };
  } finally {
    ctrFollower.kill();
    dockerFollower.kill();
    closeSync(ctrFd);
    closeSync(dockerFd);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Make a uniquely named sentinel event and wait until it has reached `file`: events arrive in
 * order, so once it shows up, every event before it has too. A new sentinel every second: one
 * made before a fresh subscription was live is never delivered.
 */
async function sentinel(file: string, make: (name: string) => void): Promise<void> {
  const made: string[] = [];
  const started = Date.now();
  for (let next = started; ; await sleep(50)) {
    if (Date.now() >= next) {
      const name = `imagesmith-build-watch-${process.pid}-${Date.now()}-${++sentinels}`;
      make(name);
      made.push(name);
      next = Date.now() + 1_000;
    }
    const seen = readFileSync(file, 'utf8');
    if (made.some((name) => seen.includes(name))) return;
    if (Date.now() - started > 30_000)
      throw new Error(`the engine's events did not report ${made.join(', ')} in 30 s`);
  }
}

function parse(ctrText: string, dockerText: string, repository: string): EngineBuild[] {
  const prefix = `${repository.replace(/\/$/, '')}/`;
  // References pulled meanwhile, each as often as it was pulled (the pull event's id is the reference).
  const pulled = new Map<string, number>();
  for (const line of dockerText.split('\n').filter(Boolean)) {
    const event = JSON.parse(line) as DockerEvent;
    if (event.Type === 'image' && event.Action === 'pull')
      pulled.set(event.Actor.ID, (pulled.get(event.Actor.ID) ?? 0) + 1);
  }
  const out: EngineBuild[] = [];
  for (const line of ctrText.split('\n')) {
    const e = CTR_EVENT.exec(line);
    if (!e || e[1] !== NAMESPACE || !['/images/create', '/images/update'].includes(e[2]!)) continue;
    const ref = (JSON.parse(e[3]!) as { name?: string }).name ?? '';
    const m = CONTENT_TAG.exec(ref);
    if (!m || !ref.startsWith(prefix)) continue;
    const pulls = pulled.get(ref) ?? 0;
    if (pulls > 0) {
      pulled.set(ref, pulls - 1);
      continue;
    }
    out.push({
      image: m[1]!.slice(prefix.length),
      stage: m[2] ? 'development' : 'production',
      ref,
      imageId: '',
    });
  }
  return out;
}
