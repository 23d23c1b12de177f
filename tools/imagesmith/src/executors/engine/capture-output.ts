import { withLiveOutput } from '../../workflows/shared/live-output';

/**
 * What a task wrote to stdout and stderr, kept for Nx (which prints it when the task ends). Live
 * output (progress lines, --verbose tool output) goes straight through to this process's stdout,
 * which Nx streams as it comes (--outputStyle=stream*, and the static styles outside GitHub's
 * log groups): a two-minute build shows its progress while it runs, and none of it twice.
 */
export async function captured(
  fn: () => Promise<number>,
): Promise<{ code: number; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const keep = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  try {
    const code = await withLiveOutput((text) => void out(text), fn);
    return { code, output: chunks.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
