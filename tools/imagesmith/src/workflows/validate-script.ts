import type { Check } from './validate-contract';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Bytes of a check's output kept (the tail): a check that prints without end cannot fill memory. */
export const OUTPUT_TAIL_BYTES = 65536;

/**
 * The probe that runs first in a validate container, before any spec command can have run: file
 * checks, imports and the uid, one @@ line each. It holds no command of a spec. Pure.
 */
export function probeScript(checks: Check[], include: (c: Check) => boolean = () => true): string {
  const lines: string[] = [];
  checks.forEach((c, i) => {
    if (!include(c)) return;
    if (c.kind === 'file-exists' || c.kind === 'file-absent')
      lines.push(
        `if [ -e ${q(c.path!)} ]; then echo "@@file ${i} 1"; else echo "@@file ${i} 0"; fi`,
      );
  });
  const modules = checks.filter((c) => c.kind === 'import' && include(c)).map((c) => c.key!);
  if (modules.length > 0) {
    const py = [
      'import importlib, json, sys',
      'res = {}',
      `for m in ${JSON.stringify(modules)}:`,
      '    try:',
      '        mod = importlib.import_module(m)',
      '        res[m] = {"ok": True, "version": str(getattr(mod, "__version__", ""))}',
      '    except Exception as e:',
      '        res[m] = {"ok": False, "error": repr(e)}',
      'print("@@imports " + json.dumps(res))',
    ].join('\n');
    lines.push(
      `PY=$(command -v python || command -v python3); "$PY" -c ${q(py)} || echo "@@imports {}"`,
    );
  }
  lines.push('echo "@@uid $(id -u)"');
  return lines.join('\n');
}

// $1: seconds allowed, $2: the check's command. stderr joins stdout; only the last
// OUTPUT_TAIL_BYTES are kept, and the exit status of the command itself is the process's status
// (carried past the pipe on fd 4, which the command does not get). `timeout` (coreutils, busybox)
// kills the command's process group at the limit; the host stops the call a little later in any case.
// $3 = 1 (docker, podman: every exec shares the container's PID namespace): first kill whatever an
// earlier check left running (kill -1 spares PID 1 and the caller), so a detached process of one
// check cannot write into a later check's output. buildah runs each check in a PID namespace of its
// own whose processes end with it, and must not sweep (with chroot isolation -1 is the host's).
const RUNNER = [
  'limit=$1; cmd=$2',
  'if [ "$3" = 1 ]; then kill -9 -1 2>/dev/null; fi',
  'run() { if command -v timeout >/dev/null 2>&1; then timeout -k 5 "$limit" sh -c "$cmd"; else sh -c "$cmd"; fi; }',
  'if ! command -v tail >/dev/null 2>&1; then run 2>&1 </dev/null; exit $?; fi',
  'exec 3>&1',
  `code=$( { { run </dev/null 3>&- 4>&-; echo $? >&4; } 2>&1 | tail -c ${OUTPUT_TAIL_BYTES} >&3; } 4>&1 )`,
  // Only the command itself can reach fd 4 (through /proc): it can garble its own status, no other.
  'code=${code##*[!0-9]}; exit "${code:-125}"',
].join('\n');

/**
 * The argv of one command check, run as its own engine exec: its exit code and output are what the
 * engine reports for that process, so no other check can write them. Pure.
 */
export function checkArgv(command: string, limitSeconds: number, sweep = false): string[] {
  return ['sh', '-c', RUNNER, 'imagesmith-check', String(limitSeconds), command, sweep ? '1' : '0'];
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

/** The probe's answers (probeScript). Pure. */
export function parseResults(stdout: string): ContainerResults {
  const r: ContainerResults = { commands: new Map(), files: new Map(), imports: {} };
  for (const line of stdout.split('\n')) {
    const file = /^@@file (\d+) ([01])$/.exec(line);
    if (file) r.files.set(Number(file[1]), file[2] === '1');
    if (line.startsWith('@@imports ')) {
      try {
        r.imports = JSON.parse(line.slice('@@imports '.length));
      } catch {
        r.imports = {};
      }
    }
    const uid = /^@@uid (\d+)$/.exec(line);
    if (uid) r.uid = Number(uid[1]);
  }
  return r;
}
