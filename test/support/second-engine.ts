/**
 * A second Docker engine on this machine for e2e tests (issue #11 item 7): its own dockerd with its
 * own --data-root, --exec-root, pidfile and socket, started next to the first with the same flags
 * as .ci/setup-engine.sh. Point the CLI at it with `env` (DOCKER_HOST). It shares nothing with the
 * first engine but the local registry, like a second CI runner. `stop` removes everything it made.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCKER = '/usr/bin/docker';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface SecondEngine {
  dir: string;
  /** Environment for the CLI (and docker) to use this engine. */
  env: { DOCKER_HOST: string };
  /** A `docker` executable bound to this engine (for helpers that take a docker path, e.g. engine-builds.ts). */
  dockerBin: string;
  docker(...args: string[]): string;
  /** The daemon's pid (from its pidfile). */
  pid(): number;
  /** SIGKILL the daemon only: the engine goes away mid-whatever, as when a runner dies. */
  kill(): Promise<void>;
  /** Start the daemon again on the same state (after kill). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function untilGone(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (!alive(pid)) return true;
    await sleep(100);
  }
  return !alive(pid);
}

export async function startSecondEngine(name: string): Promise<SecondEngine> {
  const dir = mkdtempSync(join(tmpdir(), `imagesmith-${name}-dockerd-`));
  const sock = join(dir, 'docker.sock');
  const env = { DOCKER_HOST: `unix://${sock}` };
  const pidOf = (file: string) => {
    try {
      return Number(readFileSync(file, 'utf8').trim());
    } catch {
      return 0;
    }
  };
  const dockerBin = join(dir, 'docker');
  writeFileSync(dockerBin, `#!/bin/sh\nDOCKER_HOST='${env.DOCKER_HOST}' exec ${DOCKER} "$@"\n`, {
    mode: 0o755,
  });
  const engine: SecondEngine = {
    dir,
    env,
    dockerBin,
    docker: (...args) =>
      execFileSync(DOCKER, args, {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        maxBuffer: 256 * 1024 * 1024,
      }),
    pid: () => pidOf(join(dir, 'pid')),
    async start() {
      const log = openSync(join(dir, 'dockerd.log'), 'a');
      // Own session: a signal to the test's process group never reaches this daemon.
      // prettier-ignore
      const daemon = spawn('dockerd', ['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'pid'), '-H', env.DOCKER_HOST, '--bridge=none', '--iptables=false', '--ip-masq=false'],
        { detached: true, stdio: ['ignore', log, log] },
      );
      daemon.unref();
      closeSync(log);
      for (let waited = 0; waited < 60_000; waited += 250) {
        try {
          engine.docker('version', '--format', '{{.Server.Version}}');
          return;
        } catch {
          await sleep(250);
        }
      }
      throw new Error(
        `the second dockerd (${dir}) did not answer within 60 s; its log ends:\n${readFileSync(join(dir, 'dockerd.log'), 'utf8').split('\n').slice(-15).join('\n')}`,
      );
    },
    async kill() {
      const pid = engine.pid();
      const containerdPid = join(dir, 'exec/containerd/containerd.pid');
      const containerd = pidOf(containerdPid);
      if (pid) process.kill(pid, 'SIGKILL');
      await untilGone(pid, 10_000);
      // Its containerd goes too (as on a dying runner); a stale containerd.pid makes the next
      // dockerd wait on the dead socket instead of starting its own.
      if (containerd && alive(containerd)) process.kill(containerd, 'SIGKILL');
      await untilGone(containerd, 10_000);
      rmSync(join(dir, 'pid'), { force: true });
      rmSync(containerdPid, { force: true });
    },
    async stop() {
      const containerd = pidOf(join(dir, 'exec/containerd/containerd.pid'));
      const pid = engine.pid();
      if (pid && alive(pid)) {
        process.kill(pid, 'SIGTERM');
        if (!(await untilGone(pid, 30_000))) process.kill(pid, 'SIGKILL');
      }
      // A daemon killed before leaves its containerd behind.
      if (containerd && alive(containerd)) {
        process.kill(containerd, 'SIGTERM');
        if (!(await untilGone(containerd, 10_000))) process.kill(containerd, 'SIGKILL');
      }
      // Overlay mounts a killed daemon left under its data root.
      const mounts = readFileSync('/proc/mounts', 'utf8')
        .split('\n')
        .map((l) => l.split(' ')[1] ?? '')
        .filter((m) => m.startsWith(dir))
        .sort()
        .reverse();
      for (const m of mounts) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
  await engine.start();
  return engine;
}
