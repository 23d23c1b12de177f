import type { Options, Result } from 'execa';

/** execa is ESM-only; loading it lazily keeps the CommonJS CLI (run through tsx) working. */
export async function execa(file: string, args: string[], options: Options = {}): Promise<Result> {
  const mod = await import('execa');
  return mod.execa(file, args, options);
}
