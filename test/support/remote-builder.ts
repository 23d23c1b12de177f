/**
 * The standalone BuildKit daemon of .ci/setup-buildkitd.sh, seen through buildx (the `remote`
 * builder `imagesmith-remote`) and through buildctl on the same socket: its build records (the
 * builds it ran, independently of imagesmith's own output) and pruning its cache. Locally a missing
 * daemon skips the test with the reason; in CI (CI=true) nothing may skip: it throws.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from './processes';

export const REMOTE_BUILDER = 'imagesmith-remote';
const DOCKER = '/usr/bin/docker';
const SETUP = 'run `bash .ci/setup-buildkitd.sh` (as root; `bash tools/setup.sh --engine` runs it)';

/** buildctl as .ci/build-buildkitd.sh caches it (outside the clone, once per machine). */
const BUILDCTL = join(
  process.env.IMAGESMITH_TOOL_CACHE || '/var/cache/imagesmith',
  `buildkit-${process.env.IMAGESMITH_BUILDKIT_VERSION || 'v0.35.0'}`,
  'buildctl',
);

/** One build the daemon ran, from its build history (`buildctl debug histories`). */
export interface BuildRecord {
  ref: string;
  /** The image names it exported (`-t`), e.g. `127.0.0.1:5000/e2e-x/leaf:ch-abc`. */
  names: string[];
  /** When it finished, in ms since 1970 (0 while it runs). */
  completedMs: number;
}

export interface RemoteBuilder {
  /** The daemon's address, as buildx has it (`unix:///run/imagesmith-buildkitd/buildkitd.sock`). */
  addr: string;
  buildctl(...args: string[]): string;
  /** Every build record the daemon keeps (records survive a cache prune), in the order they finished. */
  records(): BuildRecord[];
  /** Like a fresh CI runner's daemon: no build cache (`buildctl prune --all`) but what running builds use. */
  prune(): void;
}

function inCi(): boolean {
  return /^(1|true|yes)$/i.test(process.env.CI ?? '');
}

function remoteBuilder(addr: string): RemoteBuilder {
  const buildctl = (...args: string[]) =>
    execFileSync(BUILDCTL, ['--addr', addr, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
  return {
    addr,
    buildctl,
    records: () => {
      const byRef = new Map<string, BuildRecord>();
      for (const line of buildctl('debug', 'histories', '--format', '{{json .}}').split('\n')) {
        if (!line.trim()) continue;
        const { record } = JSON.parse(line) as {
          record: {
            Ref: string;
            Exporters?: { Attrs?: { name?: string } }[];
            CompletedAt?: { seconds?: number; nanos?: number };
          };
        };
        const names = (record.Exporters ?? []).flatMap((e) => (e.Attrs?.name ?? '').split(','));
        const done = record.CompletedAt;
        byRef.set(record.Ref, {
          ref: record.Ref,
          names: names.filter(Boolean),
          completedMs: done ? (done.seconds ?? 0) * 1000 + (done.nanos ?? 0) / 1e6 : 0,
        });
      }
      return [...byRef.values()].sort((a, b) => a.completedMs - b.completedMs);
    },
    prune: () => {
      // What a build running meanwhile (another test file, another user of the daemon) holds
      // cannot be pruned, and it frees records as it goes: prune until nothing reclaimable is left.
      let left = '';
      for (let i = 0; i < 5; i++) {
        buildctl('prune', '--all');
        left = buildctl('du');
        if (/^Reclaimable:\s+0B$/m.test(left)) return;
      }
      throw new Error(`buildctl prune --all keeps leaving build cache behind:\n${left}`);
    },
  };
}

/**
 * The remote builder, or why the test skips: buildx must know `imagesmith-remote` as a running
 * `remote` builder and its daemon must answer buildctl. Throws in CI when it does not.
 */
export function requireRemoteBuilder(): { builder: RemoteBuilder } | { skip: string } {
  const why = (() => {
    let inspect: string;
    try {
      inspect = execFileSync(DOCKER, ['buildx', 'inspect', REMOTE_BUILDER], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      return `\`docker buildx inspect ${REMOTE_BUILDER}\` fails: ${(e.stderr || e.message).trim()}`;
    }
    const addr = /^Endpoint:\s+(\S+)/m.exec(inspect)?.[1];
    if (!/^Driver:\s+remote$/m.test(inspect) || !addr)
      return `the buildx builder ${REMOTE_BUILDER} is not a remote builder with an endpoint`;
    if (!/^Status:\s+running$/m.test(inspect))
      return `the buildx builder ${REMOTE_BUILDER} (${addr}) is not running`;
    if (!existsSync(BUILDCTL)) return `no buildctl at ${BUILDCTL}`;
    const builder = remoteBuilder(addr);
    try {
      builder.buildctl('debug', 'workers');
    } catch (error) {
      return `buildkitd at ${addr} does not answer buildctl: ${(error as Error).message.split('\n')[0]}`;
    }
    return builder;
  })();
  if (typeof why !== 'string') return { builder: why };
  if (inCi())
    throw new Error(
      `CI=true and no standalone buildkitd (nothing may skip in CI): ${why}; ${SETUP}.`,
    );
  return { skip: `no standalone buildkitd: ${why} (${SETUP})` };
}

/** The records in `after` that `before` did not have, exporting an image under `repository`. */
export function newBuilds(
  before: BuildRecord[],
  after: BuildRecord[],
  repository: string,
): BuildRecord[] {
  const seen = new Set(before.map((r) => r.ref));
  const prefix = `${repository.replace(/\/$/, '')}/`;
  return after.filter((r) => !seen.has(r.ref) && r.names.some((n) => n.startsWith(prefix)));
}

const LOCK = join(tmpdir(), 'imagesmith-remote-builder.lock');

/**
 * Test files that prune the shared remote builder take turns (vitest runs files in parallel, and
 * one file's prune would empty the cache another is building with): waits for the lock, returns
 * its release. A lock whose holder died is taken over.
 */
export async function takeBuilderTurn(waitMs = 900_000): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(join(LOCK, 'pid'), String(process.pid));
      return () => rmSync(LOCK, { recursive: true, force: true });
    } catch {
      const holder = Number(readFileIfAny(join(LOCK, 'pid')));
      if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(
          `the remote builder stayed busy (${LOCK}, pid ${holder}) for ${waitMs / 1000} s`,
        );
      else await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

function readFileIfAny(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
