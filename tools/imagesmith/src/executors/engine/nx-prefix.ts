/**
 * The project's name as a line prefix (`base: `) where Nx names an unbatched task's output itself:
 * output through a pipe gets the name before each line (--outputStyle=stream) or a
 * `> nx run base:build` header above it (the static styles). The task's process cannot tell which
 * (Nx keeps NX_PREFIX_OUTPUT from it), and either names the project. A pseudo-terminal (the TUI,
 * stream-without-prefixes on a terminal) shows lines as written: undefined there, and outside Nx.
 */
export function nxLinePrefix(
  env: NodeJS.ProcessEnv = process.env,
  tty: boolean = Boolean(process.stdout.isTTY),
): string | undefined {
  const project = env.NX_TASK_TARGET_PROJECT;
  return project && !tty ? `${project}: ` : undefined;
}

/** Drops `prefix` from the start of each line; chunks may end mid-line. */
export function prefixStripper(prefix: string): (chunk: string) => string {
  let atLineStart = true;
  return (chunk) => {
    let out = '';
    for (const piece of chunk.split(/(?<=\n)/)) {
      out += atLineStart && piece.startsWith(prefix) ? piece.slice(prefix.length) : piece;
      atLineStart = piece.endsWith('\n');
    }
    return out;
  };
}

/**
 * Runs `fn` with `prefix` dropped from the lines it writes: imagesmith's lines name their image
 * already (`base: building (20 s)`), so where Nx adds the project's name the image is named once,
 * not as `base: base: building`.
 */
export async function withoutLinePrefix<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  const streams = [process.stdout, process.stderr];
  const originals = streams.map((s) => s.write);
  streams.forEach((stream, i) => {
    const strip = prefixStripper(prefix);
    const write = originals[i]!.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) =>
      write(typeof chunk === 'string' ? strip(chunk) : chunk, ...rest)) as typeof stream.write;
  });
  try {
    return await fn();
  } finally {
    streams.forEach((stream, i) => (stream.write = originals[i]!));
  }
}
