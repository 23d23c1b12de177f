import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPoetry } from './check-poetry';

const dir = mkdtempSync(join(tmpdir(), 'imagesmith-fake-poetry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in `poetry` that prints `out` and exits with `code`. */
function fakePoetry(name: string, out: string, code = 0): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho '${out}'\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('checkPoetry', () => {
  it('returns the version of Poetry 2', async () => {
    await expect(checkPoetry(fakePoetry('p2', 'Poetry (version 2.5.1)'))).resolves.toBe('2.5.1');
  });

  it('rejects Poetry 1 saying how to install Poetry 2', async () => {
    await expect(checkPoetry(fakePoetry('p1', 'Poetry (version 1.8.3)'))).rejects.toThrow(
      /Poetry 1\.8\.3 is too old[\s\S]*pip install 'poetry>=2,<3'/,
    );
  });

  it('reports a missing Poetry with the install command', async () => {
    await expect(checkPoetry(join(dir, 'absent'))).rejects.toThrow(
      /not found[\s\S]*pip install 'poetry>=2,<3'/,
    );
  });

  it('treats a pyenv shim without poetry (exit 127) as missing', async () => {
    const shim = fakePoetry('shim', 'pyenv: poetry: command not found', 127);
    await expect(checkPoetry(shim)).rejects.toThrow(/not found/);
  });
});
