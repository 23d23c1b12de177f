import { afterEach, describe, expect, it } from 'vitest';
import { stdoutOutput } from '../../workflows/shared/output';
import { captured } from './capture-output';

const original = process.stdout.write;
afterEach(() => {
  process.stdout.write = original;
});

/** What reached this process's stdout, with the moment each chunk arrived (as Nx sees it). */
function terminal(): string[] {
  const seen: string[] = [];
  process.stdout.write = ((chunk: unknown) => {
    seen.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  return seen;
}

describe('a batched task', () => {
  it('streams its progress while it runs and keeps its result lines for Nx', async () => {
    const seen = terminal();
    let whileRunning: string[] = [];
    const { code, output } = await captured(async () => {
      stdoutOutput(false).progress!.write('base: building (BuildKit step 3/5, 10 s)\n');
      process.stdout.write('base: built 127.0.0.1:5000/ns/base:ch-1 in 12 s\n');
      whileRunning = [...seen];
      return 0;
    });
    expect(code).toBe(0);
    expect(whileRunning).toEqual(['base: building (BuildKit step 3/5, 10 s)\n']);
    expect(output).toBe('base: built 127.0.0.1:5000/ns/base:ch-1 in 12 s\n');
    expect(seen).toHaveLength(1);
  });

  it('writes live output to stdout again once the task is done', async () => {
    const seen = terminal();
    await captured(async () => 0);
    stdoutOutput(false).progress!.write('after\n');
    expect(seen).toEqual(['after\n']);
  });
});
