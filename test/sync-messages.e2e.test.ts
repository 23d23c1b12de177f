/**
 * Issue 16, "messages point at what the user edits": outside a terminal (a pipe, an agent, CI)
 * Nx 23 exits 1 before any task whose `syncGenerators` report changes, whatever
 * `sync.applyChanges` says (nx/src/tasks-runner/run-command.js, ensureWorkspaceIsInSyncAndGetGraphs:
 * the non-TTY branch comes before the applyChanges one). So no image target declares a sync
 * generator: `lock` works on a stale tree, and the other targets refuse it with imagesmith's own
 * message. Real Nx (no daemon, plugin isolation on), output piped, CI unset; real Poetry against a
 * local index. Needs Poetry (skips without it outside CI; fails in CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndex, type PypiIndex } from './support/pypi-index';
import {
  createTempWorkspace,
  git,
  NX_ENV,
  REPO,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';
import { poetrySkipReason } from './support/poetry';

const skipReason = poetrySkipReason();

const SPEC = `description: piped
profile: cpu
python: "3.11"
version: "1.0"
python_packages: { smithpkg: ">=1.0" }
`;

let index: PypiIndex | undefined;
let root = '';

/** Not a terminal and not CI: what `npx nx run x:lint | cat` on a laptop, or an agent, gets. */
const env = () =>
  ({
    ...NX_ENV,
    CI: 'false',
    GITHUB_ACTIONS: undefined,
    IMAGESMITH_PIP_INDEX: index!.url,
    POETRY_CACHE_DIR: join(root, '.poetry-cache'),
  }) as NodeJS.ProcessEnv;

function run(file: string, args: string[]) {
  const r = spawnSync(file, args, {
    cwd: root,
    env: env(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}
const nx = (...args: string[]) => run(join(REPO, 'node_modules/.bin/nx'), args);
const cli = (...args: string[]) => run('node', ['tools/imagesmith/bin/imagesmith.cjs', ...args]);
const count = (text: string, what: string) => text.split(what).length - 1;
const lockFile = () => join(root, 'images/piped/poetry.lock');

beforeAll(async () => {
  if (skipReason) return;
  index = await startIndex([{ name: 'smithpkg', version: '1.0' }]);
  root = createTempWorkspace({ piped: SPEC });
  const first = cli('lock', 'piped');
  if (first.code !== 0) throw new Error(`first lock failed:\n${first.out}`);
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'locked');
}, 300_000);

afterAll(async () => {
  await index?.stop();
  if (root) removeWorkspace(root);
});

const restore = () => {
  git(root, 'checkout', '-q', '--', '.');
  git(root, 'clean', '-qfd', 'images');
};

describe('outside a terminal', () => {
  it('a deleted poetry.lock: lint and build say the image is not locked and how to lock it', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    try {
      rmSync(lockFile());
      const lint = nx('run', 'piped:lint', '--outputStyle=static');
      expect(lint.code, lint.out).not.toBe(0);
      expect(lint.out).toContain('`images/piped` is not locked: run `npx nx run piped:lock`');
      expect(lint.out).not.toMatch(/out of (date|sync)/);
      const build = cli('build', 'piped');
      expect(build.code, build.out).toBe(2);
      expect(build.out).toContain('`images/piped` is not locked: run `npx nx run piped:lock`');
      expect(build.out).not.toMatch(/out of date|nx sync/);
      expect(git(root, 'status', '--short')).toBe(' D images/piped/poetry.lock\n');
    } finally {
      restore();
    }
  }, 120_000);

  it('lock works on a stale tree (deleted lock, edited spec) and leaves it in sync', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    try {
      rmSync(lockFile());
      writeFile(root, 'images/piped/image.yaml', SPEC.replace('piped', 'piped, edited'));
      const lock = nx('run', 'piped:lock', '--outputStyle=static');
      expect(lock.code, lock.out).toBe(0);
      expect(lock.out).not.toMatch(/out of sync|applyChanges/);
      expect(existsSync(lockFile())).toBe(true);
      expect(readFileSync(join(root, 'images/piped/Dockerfile'), 'utf8')).toMatch(/edited/);
      const check = nx('sync:check');
      expect(check.code, check.out).toBe(0);
    } finally {
      restore();
    }
  }, 180_000);

  it('a stale tree: a target says `npx nx sync` once, naming the files, and never applyChanges', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    try {
      writeFile(root, 'images/piped/image.yaml', SPEC.replace('piped', 'piped, edited'));
      const lint = nx('run', 'piped:lint', '--outputStyle=static');
      expect(lint.code, lint.out).not.toBe(0);
      expect(lint.out).toMatch(/images\/piped\/Dockerfile/);
      expect(lint.out).toMatch(/images\/piped\/pyproject\.toml/);
      expect(count(lint.out, 'nx sync'), lint.out).toBe(1);
      expect(lint.out).toContain('run `npx nx sync`');
      expect(lint.out).not.toMatch(/applyChanges|sync generator/);
      expect(git(root, 'status', '--short')).toBe(' M images/piped/image.yaml\n');
    } finally {
      restore();
    }
  }, 120_000);
});
