import { posix } from 'node:path';

/** An absolute path the image's command names, and the spec field (and index) that names it. */
export interface CommandPath {
  field: 'entrypoint' | 'cmd';
  index: number;
  path: string;
  /** The program itself (argv[0]): it must be executable, not only exist. */
  executable: boolean;
}

// Programs whose first operand is a script file they read (python /app/main.py, sh /app/run.sh).
const INTERPRETER = /^(python[0-9.]*|sh|bash|dash|ash|zsh|node|perl|ruby|Rscript)$/;
// Short options after which the rest is not a file: python -m module, -c code, sh -ec code.
const NOT_A_FILE = /^-[a-zA-Z]*[mc]/;
// Python options that take the next argument as their value (-W error, -X dev).
const TAKES_VALUE = new Set(['-W', '-X']);

/**
 * The absolute paths the command `[...entrypoint, ...cmd]` runs (Docker's exec form): the program
 * when it is an absolute path, and the script an interpreter is given (`python /app/main.py`).
 * Module and code arguments (`python -m app`, `uvicorn app.main:app`, `sh -c "..."`) and relative
 * paths are not checked. Pure.
 */
export function commandPaths(entrypoint: string[], cmd: string[]): CommandPath[] {
  const argv = [...entrypoint, ...cmd];
  const at = (i: number) =>
    i < entrypoint.length
      ? { field: 'entrypoint' as const, index: i }
      : { field: 'cmd' as const, index: i - entrypoint.length };
  const program = argv[0];
  if (program === undefined) return [];
  const found: CommandPath[] = [];
  if (posix.isAbsolute(program)) found.push({ ...at(0), path: program, executable: true });
  if (!INTERPRETER.test(posix.basename(program))) return found;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (NOT_A_FILE.test(arg)) break;
    if (TAKES_VALUE.has(arg)) i++;
    else if (arg === '--' || (arg.startsWith('-') && arg !== '-')) continue;
    else {
      if (posix.isAbsolute(arg)) found.push({ ...at(i), path: arg, executable: false });
      break;
    }
  }
  return found;
}
