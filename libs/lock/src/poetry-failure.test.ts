import { describe, expect, it, vi } from 'vitest';
import { explainPoetryFailure } from './poetry-failure';

const sources = [
  { name: 'pytorch', url: 'https://download.pytorch.org/whl/cu121' },
  { name: 'local', url: 'http://127.0.0.1:1/simple/' },
];

describe('explainPoetryFailure', () => {
  it('names the unreachable source by URL when Poetry names its host', async () => {
    const probe = vi.fn(async () => true);
    const error = await explainPoetryFailure('All attempts to connect to 127.0.0.1:1 failed.', {
      dir: 'images/x',
      sources,
      probe,
    });
    expect(error.message).toContain(
      'could not reach package source "local" (http://127.0.0.1:1/simple/)',
    );
    expect(probe).not.toHaveBeenCalled();
  });

  it('probes the sources when the output names no known host', async () => {
    const probe = vi.fn(async (url: string) => !url.includes('pytorch'));
    const error = await explainPoetryFailure(
      'requests.exceptions.ConnectionError: Max retries exceeded',
      {
        dir: 'images/x',
        sources,
        probe,
      },
    );
    expect(error.message).toContain('"pytorch" (https://download.pytorch.org/whl/cu121)');
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('says which Python to install when none matches the project', async () => {
    const output =
      'The currently activated Python version 3.11.7 is not supported by the project (>=3.10,<3.11).\n' +
      'Poetry was unable to find a compatible version.';
    const error = await explainPoetryFailure(output, { dir: 'images/x', sources });
    expect(error.message).toContain('Python interpreter matching >=3.10,<3.11');
    expect(error.hint).toContain('pyenv install');
  });

  it('explains an unsolvable set of constraints and keeps Poetry output', async () => {
    const output =
      "Because x depends on b (>=9) which doesn't match any versions, version solving failed.";
    const error = await explainPoetryFailure(output, { dir: 'images/x', sources, hadLock: true });
    expect(error.message).toContain('could not resolve');
    expect(error.message).toContain(output);
    expect(error.message).toContain('previous poetry.lock was left unchanged');
  });

  it('mentions a previous poetry.lock only when there was one', async () => {
    const error = await explainPoetryFailure('version solving failed', {
      dir: 'images/x',
      sources,
    });
    expect(error.message).not.toContain('previous poetry.lock');
    expect(error.hint).toMatch(/No poetry\.lock was written\.$/);
  });

  it('falls back to the exit code', async () => {
    const error = await explainPoetryFailure('boom', { dir: 'images/x', exitCode: 3, sources });
    expect(error.message).toMatch(/^`poetry lock` failed \(exit code 3\) for images\/x\./);
  });
});
