/**
 * Poetry runs under a small Node wrapper in its own process group, so that it never outlives the
 * CLI: Node has no prctl(PR_SET_PDEATHSIG), and a SIGKILLed CLI cannot forward anything. The
 * wrapper's stdin is a pipe from the CLI; the kernel closes it when the CLI dies in any way, and
 * then (or when its parent pid changes, or on SIGINT/SIGTERM/SIGHUP) the wrapper signals Poetry's
 * whole group (Poetry's own children, e.g. the virtualenv's pip, included): SIGTERM, then SIGKILL
 * after 5 s. It exits with Poetry's status.
 */
const WRAPPER = `
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
const group = (sig) => { try { process.kill(-child.pid, sig); } catch {} };
let stopping = false;
const stop = (sig) => {
  if (stopping) return;
  stopping = true;
  group(sig);
  setTimeout(() => { group('SIGKILL'); process.exit(137); }, 5000).unref();
};
const parent = process.ppid;
process.stdin.on('end', () => stop('SIGTERM'));
process.stdin.on('error', () => stop('SIGTERM'));
process.stdin.resume();
setInterval(() => { if (process.ppid !== parent) stop('SIGTERM'); }, 500).unref();
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => stop(sig));
child.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(127); });
child.on('exit', (code, sig) => {
  group('SIGKILL');
  process.exit(code ?? 128 + (constants.signals[sig] ?? 0));
});
`;

/** The executable and arguments that run `command args...` under the watchdog. */
export function watchedCommand(command: string, args: string[]): [string, string[]] {
  return [process.execPath, ['-e', WRAPPER, '--', command, ...args]];
}
