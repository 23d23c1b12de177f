import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runPoetryLock } from './run-poetry-lock';

// A stand-in `poetry`: `--version` answers 2.x; `lock` records its arguments, then copies
// $FAKE_LOCK to ./poetry.lock, or fails like an unsolvable resolution when FAKE_LOCK is unset.
const root = mkdtempSync(join(tmpdir(), 'imagesmith-run-lock-'));
const poetry = join(root, 'poetry');
writeFileSync(
  poetry,
  `#!/bin/sh
if [ "$1" = "--version" ]; then echo "Poetry (version 2.5.1)"; exit 0; fi
echo "$@" > "$FAKE_ARGS"
echo "Resolving dependencies..."
if [ -z "$FAKE_LOCK" ]; then echo "version solving failed." >&2; exit 1; fi
cp "$FAKE_LOCK" poetry.lock
`,
);
chmodSync(poetry, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lockWith = (pkgs: [string, string][]) =>
  pkgs
    .map(
      ([n, v]) => `[[package]]\nname = "${n}"\nversion = "${v}"\ngroups = ["main"]\nfiles = []\n`,
    )
    .join('\n') + '\n[metadata]\nlock-version = "2.1"\n';

function imageDir(lock?: string): string {
  const dir = mkdtempSync(join(root, 'image-'));
  writeFileSync(join(dir, 'pyproject.toml'), '[tool.poetry]\npackage-mode = false\n');
  if (lock !== undefined) writeFileSync(join(dir, 'poetry.lock'), lock);
  return dir;
}

function fakeEnv(dir: string, newLock?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { FAKE_ARGS: join(dir, '..', `${dir.slice(-6)}.args`) };
  if (newLock !== undefined) {
    env.FAKE_LOCK = join(dir, '..', `${dir.slice(-6)}.lock`);
    writeFileSync(env.FAKE_LOCK, newLock);
  }
  return env;
}

describe('runPoetryLock (with a stand-in poetry)', () => {
  it('puts the new lock in place and reports what moved', async () => {
    const dir = imageDir(lockWith([['b', '1.0']]));
    const env = fakeEnv(dir, lockWith([['b', '2.0']]));
    const lines: string[] = [];
    const { changed } = await runPoetryLock({
      dir,
      poetry,
      env,
      update: true,
      onOutput: (l) => lines.push(l),
    });
    expect(changed).toEqual([{ name: 'b', from: '1.0', to: '2.0' }]);
    expect(readFileSync(join(dir, 'poetry.lock'), 'utf8')).toBe(lockWith([['b', '2.0']]));
    expect(readFileSync(env.FAKE_ARGS!, 'utf8').trim()).toBe(
      'lock --no-interaction --no-ansi --regenerate',
    );
    expect(lines).toContain('Resolving dependencies...');
  });

  it('runs plain `poetry lock` (keep locked versions) without update', async () => {
    const dir = imageDir();
    const env = fakeEnv(dir, lockWith([['a', '1']]));
    expect((await runPoetryLock({ dir, poetry, env })).changed).toEqual([{ name: 'a', to: '1' }]);
    expect(readFileSync(env.FAKE_ARGS!, 'utf8').trim()).toBe('lock --no-interaction --no-ansi');
  });

  it('leaves the previous lock byte-identical and no temp files when Poetry fails', async () => {
    const previous = lockWith([['b', '1.0']]);
    const dir = imageDir(previous);
    await expect(runPoetryLock({ dir, poetry, env: fakeEnv(dir) })).rejects.toThrow(
      /could not resolve/,
    );
    expect(readFileSync(join(dir, 'poetry.lock'), 'utf8')).toBe(previous);
    expect(readdirSync(dir).sort()).toEqual(['poetry.lock', 'pyproject.toml']);
  });

  it("quotes Poetry's output once: in the message, or only as it streamed to onOutput", async () => {
    const quoted = await runPoetryLock({ dir: imageDir(), poetry, env: fakeEnv(imageDir()) }).catch(
      (e: Error) => e,
    );
    expect((quoted as Error).message.match(/Resolving dependencies/g)).toHaveLength(1);
    const dir = imageDir();
    const lines: string[] = [];
    const streamed = await runPoetryLock({
      dir,
      poetry,
      env: fakeEnv(dir),
      onOutput: (l) => lines.push(l),
    }).catch((e: Error) => e);
    expect(lines).toContain('Resolving dependencies...');
    expect((streamed as Error).message).toMatch(/could not resolve/);
    expect((streamed as Error).message).not.toContain('Resolving dependencies');
    expect((streamed as Error).message).toMatch(/hint: /);
  });

  it('says to generate first when pyproject.toml is missing', async () => {
    const dir = mkdtempSync(join(root, 'empty-'));
    await expect(runPoetryLock({ dir, poetry })).rejects.toThrow(/imagesmith generate/);
  });

  it('says how to install Poetry 2 when it is missing', async () => {
    await expect(runPoetryLock({ dir: imageDir(), poetry: join(root, 'absent') })).rejects.toThrow(
      /pip install 'poetry>=2,<3'/,
    );
  });
});
