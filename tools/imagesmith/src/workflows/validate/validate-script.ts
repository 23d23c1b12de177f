import type { Check } from '@imagesmith/plan';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Bytes of a check's output kept (the tail): a check that prints without end cannot fill memory. */
export const OUTPUT_TAIL_BYTES = 65536;

/**
 * The probe of file checks and the uid, run alone in a fresh container of the image: nothing but
 * the shell's builtins (`[ -e ]`, `read`, `echo`) runs in it, so no code of the image (a Python
 * startup hook, a replaced `id`) prints into its output. It holds no command of a spec. Pure.
 */
export function probeScript(checks: Check[], include: (c: Check) => boolean = () => true): string {
  const lines: string[] = [];
  checks.forEach((c, i) => {
    if (!include(c)) return;
    if (c.kind !== 'file-exists' && c.kind !== 'file-absent') return;
    // A program (executable) is a file the image's user may run, not only a path that exists.
    const p = q(c.path!);
    const test = c.executable ? `[ -f ${p} ] && [ -x ${p} ]` : `[ -e ${p} ]`;
    lines.push(`if ${test}; then echo "@@file ${i} 1"; else echo "@@file ${i} 0"; fi`);
  });
  // The effective uid from the kernel's own record of this process (no `id` binary of the image).
  lines.push(
    'while read -r k r e _; do [ "$k" = Uid: ] && echo "@@uid $e"; done </proc/self/status',
  );
  return lines.join('\n');
}

// Imports one module (argv[1]) in a Python that runs no code of the image first: -I ignores
// PYTHON* variables (PYTHONWARNINGS can import a module) and the user site, -S skips `site`, whose
// .pth import lines and sitecustomize would run before the probe and could print a result and
// exit 0 (issue 16). site.main() then sets up the paths as Python's own start does (venv,
// site-packages, .pth path lines) with their code execution turned off: site.addpackage exec()s
// .pth import lines through the module's global name `exec`
// (https://docs.python.org/3/library/site.html). The working directory and PYTHONPATH come first,
// as for `python -c`. Only the module's own import runs its code: it decides its own check, no other.
const IMPORT_PY = [
  'import os, sys',
  'sys.path[0:0] = [os.getcwd()] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]',
  'import site',
  'site.exec = lambda *a, **k: None',
  'site.execsitecustomize = site.execusercustomize = lambda: None',
  'site.main()',
  'import importlib',
  'try:',
  '    mod = importlib.import_module(sys.argv[1])',
  'except BaseException as e:',
  '    print("\\n" + repr(e), flush=True)',
  '    os._exit(1)',
  'print("\\n" + str(getattr(mod, "__version__", "")), flush=True)',
  'os._exit(0)',
].join('\n');

/**
 * The command of one import check, run like a command check (checkArgv: bounded, its output's tail
 * kept) alone in a fresh container: exit 0 when the module imported, and its version (or the
 * error) on the last line of output. Pure.
 */
export function importCommand(module: string): string {
  return [
    'PY=$(command -v python || command -v python3) || { echo "no python or python3 on PATH"; exit 127; }',
    `exec "$PY" -I -S -c ${q(IMPORT_PY)} ${q(module)}`,
  ].join('\n');
}

/** One import check's result from its exit code and output (importArgv). Pure. */
export function importResult(
  exitCode: number,
  output: string,
): { ok: boolean; version?: string; error?: string } {
  const last = output.trimEnd().split('\n').pop() ?? '';
  return exitCode === 0
    ? { ok: true, version: last }
    : { ok: false, error: last || `exit code ${exitCode}` };
}

// $1: seconds allowed, $2: the check's command. stderr joins stdout; only the last
// OUTPUT_TAIL_BYTES are kept, and the exit status of the command itself is the process's status
// (carried past the pipe on fd 4, which the command does not get). `timeout` (coreutils, busybox)
// kills the command's process group at the limit; the host stops the call a little later in any case.
// Each check runs in a fresh container of its own, so nothing an earlier check left (a file, a
// detached process) is there.
const RUNNER = [
  'limit=$1; cmd=$2',
  'run() { if command -v timeout >/dev/null 2>&1; then timeout -k 5 "$limit" sh -c "$cmd"; else sh -c "$cmd"; fi; }',
  'if ! command -v tail >/dev/null 2>&1; then run 2>&1 </dev/null; exit $?; fi',
  'exec 3>&1',
  `code=$( { { run </dev/null 3>&- 4>&-; echo $? >&4; } 2>&1 | tail -c ${OUTPUT_TAIL_BYTES} >&3; } 4>&1 )`,
  // Only the command itself can reach fd 4 (through /proc): it can garble its own status, no other.
  'code=${code##*[!0-9]}; exit "${code:-125}"',
].join('\n');

/**
 * The argv of one command check, run alone in a fresh container: its exit code and output are what
 * the engine reports for that process, so no other check can write them. Pure.
 */
export function checkArgv(command: string, limitSeconds: number): string[] {
  return ['sh', '-c', RUNNER, 'imagesmith-check', String(limitSeconds), command];
}

/** What one command check did, as the engine reported it. */
export interface CommandResult {
  code: number;
  output: string;
  /** Ran past its time limit (this many seconds) and was stopped. */
  timedOutAfter?: number;
  /** The spec's output pattern against the output; 'timeout' when it took too long to evaluate. */
  match?: 'match' | 'no-match' | 'timeout';
}

export interface ContainerResults {
  commands: Map<number, CommandResult>;
  files: Map<number, boolean>;
  imports: Record<string, { ok: boolean; version?: string; error?: string }>;
  uid?: number;
}

/** The probe's answers (probeScript): files and the uid. Pure. */
export function parseResults(stdout: string): ContainerResults {
  const r: ContainerResults = { commands: new Map(), files: new Map(), imports: {} };
  for (const line of stdout.split('\n')) {
    const file = /^@@file (\d+) ([01])$/.exec(line);
    if (file) r.files.set(Number(file[1]), file[2] === '1');
    const uid = /^@@uid (\d+)$/.exec(line);
    if (uid) r.uid = Number(uid[1]);
  }
  return r;
}
