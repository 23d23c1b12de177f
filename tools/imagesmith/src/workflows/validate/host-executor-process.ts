import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from './run-checks';

/** Bytes of each stream kept (the tail) on the host side, as a container's output is bounded. */
const KEEP_BYTES = 1 << 20;

/**
 * A ProcessRunner for the host executor: each argv is a process of its own in this environment
 * (PATH, Python, devices), started in an empty working folder of its own that is removed after, in a
 * process group of its own that is killed whole at `timeoutMs` (what `docker run` gives the
 * container executor). No engine and no network are needed.
 */
export function hostProcessRunner(env: NodeJS.ProcessEnv = process.env): ProcessRunner {
  return (argv, timeoutMs) =>
    new Promise((resolve, reject) => {
      const cwd = mkdtempSync(join(tmpdir(), 'imagesmith-host-check-'));
      const started = Date.now();
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out = { stdout: '', stderr: '' };
      const keep = (k: 'stdout' | 'stderr') => (b: Buffer) => {
        out[k] = (out[k] + b.toString('utf8')).slice(-KEEP_BYTES);
      };
      child.stdout.on('data', keep('stdout'));
      child.stderr.on('data', keep('stderr'));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        rmSync(cwd, { recursive: true, force: true });
      };
      child.once('error', (e) => {
        done();
        reject(e);
      });
      child.once('close', (code, signal) => {
        done();
        resolve({
          exitCode: code ?? (signal ? 128 + 9 : 1),
          ...out,
          ...(timedOut ? { timedOut } : {}),
          ms: Date.now() - started,
        });
      });
    });
}
