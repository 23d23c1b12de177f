/**
 * The monthly refresh as .github/workflows/refresh-locks.yml runs it, short of opening the pull
 * request: tools/refresh/monthly-refresh.sh in a temporary workspace whose image is locked against a
 * local index (support/pypi-index.ts); a newer version is published, the script takes it,
 * regenerates, lints and writes the pull request body. Needs Poetry (skips without it outside CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndex, type PypiIndex } from './support/pypi-index';
import {
  createTempWorkspace,
  git,
  NX_ENV,
  REPO,
  removeWorkspace,
} from '../tools/testkit/temp-workspace';

const hasPoetry = spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status === 0;
const skipReason =
  !hasPoetry && process.env.CI !== 'true'
    ? "poetry is not on PATH (pip install 'poetry==2.5.1')"
    : undefined;

const IMAGE = `description: refresh fixture
profile: cpu
python: "3.11"
version: "1.0"
python_packages: { smithpkg: ">=1.0" }
`;

let index: PypiIndex | undefined;
let root = '';
const cache = mkdtempSync(join(tmpdir(), 'imagesmith-refresh-poetry-'));
const env = { ...NX_ENV, POETRY_CACHE_DIR: cache } as NodeJS.ProcessEnv;

/** The cpu profile with the local index as the explicit source of the fixture's package. */
function cpuProfileWith(url: string): string {
  const profile = parse(readFileSync(join(REPO, 'profiles/cpu/profile.yaml'), 'utf8')) as {
    package_sources: object[];
  };
  profile.package_sources.push({
    name: 'local',
    url,
    priority: 'explicit',
    packages: ['smithpkg'],
  });
  return stringify(profile);
}

function run(cmd: string, args: string[]): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  if (skipReason) return;
  index = await startIndex([{ name: 'smithpkg', version: '1.0' }]);
  root = createTempWorkspace(
    { refreshed: IMAGE },
    { 'profiles/cpu/profile.yaml': cpuProfileWith(index.url) },
  );
  const locked = run('node', ['tools/imagesmith/bin/imagesmith.cjs', 'lock', 'refreshed']);
  if (locked.code !== 0) throw new Error(`lock failed:\n${locked.out}`);
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'locked');
  index.add([{ name: 'smithpkg', version: '2.0' }]);
}, 300_000);

afterAll(async () => {
  await index?.stop();
  if (root) removeWorkspace(root);
  rmSync(cache, { recursive: true, force: true });
});

describe('tools/refresh/monthly-refresh.sh (the refresh-locks workflow without the PR call)', () => {
  it('takes the newer version, regenerates, lints and writes the change summary', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const read = (f: string) => readFileSync(join(root, 'images/refreshed', f), 'utf8');
    expect(read('poetry.lock')).toMatch(/name = "smithpkg"\nversion = "1.0"/);
    const summary = join(root, '..', `${root.split('/').at(-1)}-summary.md`);
    const r = run('bash', ['tools/refresh/monthly-refresh.sh', summary]);
    expect(r.code, r.out).toBe(0);
    expect(read('poetry.lock')).toMatch(/name = "smithpkg"\nversion = "2.0"/);
    expect(read('requirements.txt')).toMatch(/^smithpkg==2\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    expect(r.out).toMatch(/1 Dockerfile linted, 0 findings/);
    expect(r.out).toMatch(/Successfully ran target lint for project refreshed\b/);
    const body = readFileSync(summary, 'utf8');
    rmSync(summary);
    expect(body).toMatch(/^### refreshed \(1 change\)$/m);
    expect(body).toContain('- smithpkg: 1.0 -> 2.0');
    // Everything the refresh changed is what the pull request would carry, and nothing is stale.
    // (The image README lists the locked versions, so it changes with the lock.)
    expect(git(root, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([
      ' M images/refreshed/README.md',
      ' M images/refreshed/poetry.lock',
      ' M images/refreshed/requirements.txt',
    ]);
    expect(readFileSync(join(root, 'images/refreshed/README.md'), 'utf8')).toMatch(
      /smithpkg.*2\.0/,
    );
    expect(() =>
      execFileSync(join(REPO, 'node_modules/.bin/nx'), ['sync:check'], { cwd: root, env }),
    ).not.toThrow();
  }, 600_000);
});
