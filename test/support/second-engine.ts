/**
 * A second Docker engine on this machine for e2e tests (issue #11 item 7): its own dockerd with its
 * own --data-root, --exec-root, pidfile and socket, started next to the first with the same daemon
 * settings as .ci/setup-engine.sh (the containerd image store: `containerd-snapshotter` with the
 * `overlayfs` driver), and its own containerd (own root, state and socket, passed as
 * `--containerd`): a dockerd left to find its containerd would use a system containerd at
 * /run/containerd/containerd.sock when there is one, and then share images with every other engine
 * on it. Point the CLI at it with `env` (DOCKER_HOST). It shares nothing with the first engine but
 * the local registry, like a second CI runner. `stop` removes everything it made.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildEngine } from '../../tools/testkit/engine-builds';
import { containerdToml, DAEMON_JSON } from './daemon-config';
import { alive, descendants, pidsWith, sleep, terminate, untilGone } from './processes';

const DOCKER = '/usr/bin/docker';

export interface SecondEngine {
  dir: string;
  /** Environment for the CLI (and docker) to use this engine. */
  env: { DOCKER_HOST: string };
  /** A `docker` executable bound to this engine (for helpers that take a docker path). */
  dockerBin: string;
  /** The socket of this engine's own containerd. */
  containerd: string;
  /** This engine for engine-builds.ts (its docker and its containerd). */
  builds: BuildEngine;
  docker(...args: string[]): string;
  /** The daemon's pid (from its pidfile). */
  pid(): number;
  /** SIGKILL the daemon and its containerd: the engine goes away mid-whatever, as when a runner dies. */
  kill(): Promise<void>;
  /** Start the daemon (and its containerd) again on the same state (after kill). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSecondEngine(name: string): Promise<SecondEngine> {
  const dir = mkdtempSync(join(tmpdir(), `imagesmith-${name}-dockerd-`));
  const sock = join(dir, 'docker.sock');
  const ctrDir = join(dir, 'containerd');
  const ctrSock = join(ctrDir, 'containerd.sock');
  const ctrPid = join(ctrDir, 'containerd.pid');
  const env = { DOCKER_HOST: `unix://${sock}` };
  const pidOf = (file: string) => {
    try {
      return Number(readFileSync(file, 'utf8').trim());
    } catch {
      return 0;
    }
  };
  mkdirSync(ctrDir, { recursive: true });
  writeFileSync(join(dir, 'daemon.json'), JSON.stringify(DAEMON_JSON, null, 2));
  writeFileSync(join(ctrDir, 'config.toml'), containerdToml(ctrDir));
  const dockerBin = join(dir, 'docker');
  writeFileSync(dockerBin, `#!/bin/sh\nDOCKER_HOST='${env.DOCKER_HOST}' exec ${DOCKER} "$@"\n`, {
    mode: 0o755,
  });
  const tail = (file: string) => readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  // Own session for each: a signal to the test's process group never reaches them.
  const daemon = (file: string, args: string[], logName: string): number => {
    const log = openSync(join(dir, logName), 'a');
    const child = spawn(file, args, { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    closeSync(log);
    return child.pid ?? 0;
  };
  const waitFor = async (what: string, ready: () => boolean, logName: string, pid = 0) => {
    for (let waited = 0; waited < 60_000 && !(pid && !alive(pid)); waited += 250) {
      if (ready()) return;
      await sleep(250);
    }
    throw new Error(
      `the second engine's ${what} (${dir}) ${pid && !alive(pid) ? 'exited' : 'did not answer within 60 s'}; its log ends:\n${tail(join(dir, logName))}`,
    );
  };
  const engine: SecondEngine = {
    dir,
    env,
    dockerBin,
    containerd: ctrSock,
    builds: { docker: dockerBin, containerd: ctrSock },
    docker: (...args) =>
      execFileSync(DOCKER, args, {
        encoding: 'utf8',
        env: { ...process.env, ...env },
        maxBuffer: 256 * 1024 * 1024,
      }),
    pid: () => pidOf(join(dir, 'pid')),
    async start() {
      if (!alive(pidOf(ctrPid))) {
        rmSync(ctrSock, { force: true });
        const pid = daemon(
          'containerd',
          ['--config', join(ctrDir, 'config.toml')],
          'containerd.log',
        );
        writeFileSync(ctrPid, String(pid));
        await waitFor('containerd', () => existsSync(ctrSock), 'containerd.log', pid);
      }
      // prettier-ignore
      const dockerd = daemon('dockerd', ['--config-file', join(dir, 'daemon.json'), '--containerd', ctrSock, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'pid'), '-H', env.DOCKER_HOST], 'dockerd.log');
      await waitFor(
        'dockerd',
        () => {
          try {
            // The store the first engine has (setup-engine.sh): the containerd snapshotter.
            const driver = execFileSync(DOCKER, ['info', '--format', '{{.Driver}}'], {
              encoding: 'utf8',
              env: { ...process.env, ...env },
              stdio: ['ignore', 'pipe', 'pipe'], // not "Cannot connect" on the test's stderr
            });
            return driver.trim() === 'overlayfs';
          } catch {
            return false;
          }
        },
        'dockerd.log',
        dockerd,
      );
    },
    async kill() {
      const pid = engine.pid();
      const containerd = pidOf(ctrPid);
      if (pid) process.kill(pid, 'SIGKILL');
      await untilGone(pid, 10_000);
      // Its containerd goes too, as on a dying runner.
      if (containerd && alive(containerd)) process.kill(containerd, 'SIGKILL');
      await untilGone(containerd, 10_000);
      rmSync(join(dir, 'pid'), { force: true });
      rmSync(ctrPid, { force: true });
    },
    async stop() {
      await terminate(engine.pid(), 30_000);
      await terminate(pidOf(ctrPid), 10_000);
      // Shims of build steps or containers a killed engine left running (each names its
      // containerd's socket), with what runs in them.
      for (const shim of pidsWith(ctrSock)) {
        for (const child of descendants(shim)) if (alive(child)) process.kill(child, 'SIGKILL');
        await terminate(shim, 5_000);
      }
      // Mounts a killed engine left under its data root and containerd state.
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
