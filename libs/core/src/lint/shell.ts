import { Instruction, JSONInstruction } from 'dockerfile-ast';

/**
 * Splits shell source into commands of unquoted words. Enough to find `pip install` or `rm -rf`
 * inside a RUN; no expansions, no nesting: a lint heuristic, not a shell.
 */
export function splitCommands(src: string): string[][] {
  const commands: string[][] = [];
  let cmd: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) cmd.push(word);
    word = null;
  };
  const endCmd = () => {
    endWord();
    if (cmd.length) commands.push(cmd);
    cmd = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      word = (word ?? '') + src[++i];
    } else if (c === "'" || c === '"') {
      let quoted = '';
      for (i++; i < src.length && src[i] !== c; i++) {
        if (c === '"' && src[i] === '\\' && i + 1 < src.length) i++;
        quoted += src[i];
      }
      word = (word ?? '') + quoted;
    } else if (c === '#' && word === null) {
      while (i + 1 < src.length && src[i + 1] !== '\n') i++; // shell comment (heredoc bodies)
    } else if (c === '\n' || c === ';' || c === '(' || c === ')') {
      endCmd();
    } else if (c === '|' || c === '&') {
      // `2>&1` and `&>file` are redirects, not command separators.
      if (c === '&' && (word?.endsWith('>') || src[i + 1] === '>')) word = (word ?? '') + c;
      else {
        if (src[i + 1] === c) i++;
        endCmd();
      }
    } else if (/\s/.test(c)) {
      endWord();
    } else {
      word = (word ?? '') + c;
    }
  }
  endCmd();
  return commands;
}

/** The exec-form (JSON array) arguments of an instruction, or null for shell form. */
function jsonArgs(ins: Instruction): string[] | null {
  if (!(ins instanceof JSONInstruction)) return null;
  const content = ins.getArgumentsContent()?.trim() ?? '';
  if (!content.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

/** Arguments without flags (--chown, --mount...), exec form decoded. */
export function instructionArgs(ins: Instruction): string[] {
  return jsonArgs(ins) ?? ins.getArguments().map((a) => a.getValue());
}

/** The shell commands a RUN executes. `lines` is the Dockerfile text split into lines. */
export function runCommands(run: Instruction, escapeChar: string, lines: string[]): string[][] {
  const argv = jsonArgs(run);
  if (argv)
    return /^(\/bin\/|\/usr\/bin\/)?(ba)?sh$/.test(argv[0] ?? '') && argv[1] === '-c'
      ? splitCommands(argv[2] ?? '')
      : [argv];
  // getArguments() already drops flags and comment lines inside continuations. A line break not
  // escaped by the escape character only occurs in a heredoc body, where it separates commands.
  const args = run.getArguments();
  let src = '';
  args.forEach((arg, k) => {
    const prevLine = k > 0 ? args[k - 1]!.getRange().end.line : arg.getRange().start.line;
    const newline =
      arg.getRange().start.line !== prevLine &&
      !(lines[prevLine] ?? '').trimEnd().endsWith(escapeChar);
    src += (k === 0 ? '' : newline ? '\n' : ' ') + arg.getValue();
  });
  return splitCommands(src);
}

/** The command name with any leading path, e.g. /opt/venv/bin/pip -> pip. */
export function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}
