import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  freePort,
  sha256,
  startIndex,
  type IndexPackage,
  type PypiIndex,
} from '../../../test/support/pypi-index';
import { checkLockAgreement } from './check-lock-agreement';
import { checkParentConstraints } from './check-parent-constraints';
import { LockError } from './errors';
import { lockState } from './lock-state';
import { parseLock, type LockedPackage } from './parse-lock';
import { pinsFromLock } from './pins-from-lock';
import { renderPyproject, type PyprojectInput } from './render-pyproject';
import { renderRequirements } from './render-requirements';
import { runPoetryLock, type RunPoetryLockOptions } from './run-poetry-lock';

// Real Poetry against a local PEP 503 index. Skipped only on a developer machine without
// Poetry; in CI (CI=true) a missing Poetry fails these tests instead.
const hasPoetry = spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status === 0;
const skipReason =
  !hasPoetry && process.env.CI !== 'true'
    ? "poetry is not on PATH (pip install 'poetry>=2,<3'); set CI=true to make this a failure"
    : undefined;

const scratch = mkdtempSync(join(tmpdir(), 'imagesmith-lock-e2e-'));
const indexes: PypiIndex[] = [];
afterEach(async () => {
  await Promise.all(indexes.splice(0).map((i) => i.stop()));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function index(pkgs: IndexPackage[]): Promise<PypiIndex> {
  const i = await startIndex(pkgs);
  indexes.push(i);
  return i;
}

/** An image folder with a rendered pyproject.toml whose only source is `url` (primary: no PyPI). */
function imageDir(url: string, over: Partial<PyprojectInput> = {}): string {
  const dir = mkdtempSync(join(scratch, 'image-'));
  writePyproject(dir, url, over);
  return dir;
}

function writePyproject(dir: string, url: string, over: Partial<PyprojectInput> = {}): void {
  const input: PyprojectInput = {
    name: 'test-image',
    description: 'e2e',
    python: '3.11',
    packages: { a: '*' },
    sources: [{ name: 'local', url, priority: 'primary', packages: [] }],
    ...over,
  };
  writeFileSync(
    join(dir, 'pyproject.toml'),
    renderPyproject(input, { specFile: 'images/test-image/image.yaml' }),
  );
}

/** Each test gets its own Poetry cache: no cross-test HTTP caching, no writes to ~/.cache. */
function lock(dir: string, opts: Partial<RunPoetryLockOptions> = {}) {
  return runPoetryLock({ dir, env: { POETRY_CACHE_DIR: `${dir}-poetry-cache` }, ...opts });
}

const locked = (dir: string): LockedPackage[] =>
  parseLock(readFileSync(join(dir, 'poetry.lock'), 'utf8'));
const version = (pkgs: LockedPackage[], name: string) => pkgs.find((p) => p.name === name)?.version;

describe.skipIf(skipReason !== undefined)(
  `lock with real Poetry${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    it('resolves a dependency and records the sha256 of each wheel', async () => {
      const i = await index([
        { name: 'a', version: '1.0', deps: ['b>=1'] },
        { name: 'b', version: '1.0' },
        { name: 'b', version: '2.0' },
      ]);
      const dir = imageDir(i.url);
      const { changed } = await lock(dir);
      expect(changed).toEqual([
        { name: 'a', to: '1.0' },
        { name: 'b', to: '2.0' },
      ]);
      const pkgs = locked(dir);
      const wheelHash = (n: string, v: string) =>
        `sha256:${sha256(readFileSync(i.wheelPath(n, v)))}`;
      expect(pkgs.find((p) => p.name === 'b')?.files).toEqual([
        { file: 'b-2.0-py3-none-any.whl', hash: wheelHash('b', '2.0') },
      ]);
      const requirements = renderRequirements(pkgs, { groups: ['main'], header: 'test' });
      expect(requirements).toContain(`a==1.0 \\\n    --hash=${wheelHash('a', '1.0')}\n`);
      expect(requirements).toContain(`b==2.0 \\\n    --hash=${wheelHash('b', '2.0')}\n`);
    });

    it('uses only the primary source: PyPI is not consulted', async () => {
      // `six` is on PyPI (reachable here) but not in the local index.
      const i = await index([{ name: 'b', version: '1.0' }]);
      const dir = imageDir(i.url, { packages: { six: '*' } });
      // Only the primary source is named (and asked) as the index that lacks it.
      await expect(lock(dir)).rejects.toThrow(`no such package \`six\` on ${i.url} (while`);
    });

    it("locks a child at its parent's versions and flags a conflicting child constraint", async () => {
      const i = await index([
        { name: 'a', version: '1.0', deps: ['b>=1'] },
        { name: 'b', version: '1.0' },
        { name: 'b', version: '2.0' },
      ]);
      const parentDir = imageDir(i.url, { name: 'parent', packages: { a: '*', b: '<2' } });
      await lock(parentDir);
      const pins = pinsFromLock('parent', locked(parentDir));
      expect(pins.packages).toEqual({ a: '1.0', b: '1.0' });

      const childDir = imageDir(i.url, { name: 'child', packages: { a: '*' }, parentPins: pins });
      await lock(childDir);
      expect(version(locked(childDir), 'b')).toBe('1.0'); // 2.0 exists, the parent's 1.0 wins
      expect(
        checkLockAgreement(
          { image: 'parent', pkgs: locked(parentDir) },
          { image: 'child', pkgs: locked(childDir) },
        ),
      ).toEqual([]);

      const conflicting: PyprojectInput = {
        name: 'child',
        description: '',
        python: '3.11',
        packages: { b: '^2' },
        sources: [],
        parentPins: pins,
      };
      const [problem] = checkParentConstraints(conflicting, 'child');
      expect(problem?.message).toMatch(
        /\bb = "\^2" in image child conflicts with its parent image parent, which locked b 1\.0/,
      );
    });

    it('keeps locked versions without update and moves them with update', async () => {
      const i = await index([{ name: 'b', version: '1.0' }]);
      const dir = imageDir(i.url, { packages: { b: '*' } });
      await lock(dir);
      expect(version(locked(dir), 'b')).toBe('1.0');

      i.add([{ name: 'b', version: '2.0' }]);
      const kept = await lock(dir);
      expect(kept.changed).toEqual([]);
      expect(version(locked(dir), 'b')).toBe('1.0');

      const updated = await lock(dir, { update: true });
      expect(updated.changed).toEqual([{ name: 'b', from: '1.0', to: '2.0' }]);
      expect(version(locked(dir), 'b')).toBe('2.0');
    });

    it('leaves poetry.lock byte-identical, and no temp files, when Poetry fails', async () => {
      const i = await index([{ name: 'b', version: '1.0' }]);
      const dir = imageDir(i.url, { packages: { b: '*' } });
      await lock(dir);
      const before = readFileSync(join(dir, 'poetry.lock'));

      writePyproject(dir, i.url, { packages: { b: '>=9' } });
      const error = await lock(dir, { update: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockError);
      expect((error as LockError).message).toContain('left unchanged');
      expect(readFileSync(join(dir, 'poetry.lock')).equals(before)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['poetry.lock', 'pyproject.toml']);
    });

    it('leaves poetry.lock byte-identical when the lock is cancelled midway', async () => {
      const i = await index([{ name: 'b', version: '1.0' }]);
      const dir = imageDir(i.url, { packages: { b: '*' } });
      await lock(dir);
      const before = readFileSync(join(dir, 'poetry.lock'));
      i.add([{ name: 'b', version: '2.0' }]);

      const controller = new AbortController();
      const cancelled = lock(dir, {
        update: true,
        signal: controller.signal,
        onOutput: () => controller.abort(),
      });
      await expect(cancelled).rejects.toThrow(/cancelled/);
      expect(readFileSync(join(dir, 'poetry.lock')).equals(before)).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(['poetry.lock', 'pyproject.toml']);
    });

    it('names the unreachable source URL, and keeps the previous lock', async () => {
      const i = await index([{ name: 'b', version: '1.0' }]);
      const dir = imageDir(i.url, { packages: { b: '*' } });
      await lock(dir);
      const before = readFileSync(join(dir, 'poetry.lock'));

      const deadUrl = `http://127.0.0.1:${await freePort()}/simple/`;
      writePyproject(dir, deadUrl, { packages: { b: '*' } });
      await expect(lock(dir, { update: true })).rejects.toThrow(`"local" (${deadUrl})`);
      expect(readFileSync(join(dir, 'poetry.lock')).equals(before)).toBe(true);
    });

    it('resolves through a mirror without the mirror reaching pyproject.toml or poetry.lock', async () => {
      const i = await index([{ name: 'b', version: '1.0' }]);
      // The committed source is unreachable: only the mirror can answer.
      const committedUrl = `http://127.0.0.1:${await freePort()}/simple/`;
      const dir = mkdtempSync(join(scratch, 'image-'));
      writePyproject(dir, committedUrl, { packages: { b: '*' } });
      const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
      const mirror = { sourceOverrides: [{ name: 'local', url: i.url }] };

      await lock(dir, mirror);
      const text = readFileSync(join(dir, 'poetry.lock'), 'utf8');
      expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toBe(pyproject);
      expect(version(locked(dir), 'b')).toBe('1.0');
      expect(text).toContain(`url = "${committedUrl.replace(/\/$/, '')}"`);
      expect(text).not.toContain(i.url.replace(/\/$/, ''));
      expect(lockState(pyproject, text)).toBe('fresh');

      // A second lock through the mirror starts from the committed lock and keeps its versions.
      i.add([{ name: 'b', version: '2.0' }]);
      expect((await lock(dir, mirror)).changed).toEqual([]);
      expect(readFileSync(join(dir, 'poetry.lock'), 'utf8')).toBe(text);
    });
  },
);
