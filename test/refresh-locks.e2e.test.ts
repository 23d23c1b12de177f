/**
 * The monthly refresh as .github/workflows/refresh-locks.yml runs it, short of opening the pull
 * request: tools/refresh/monthly-refresh.sh in a temporary workspace whose image is locked against a
 * local index (support/pypi-index.ts); a newer version is published, the script takes it,
 * regenerates, lints and writes the pull request body. Then `refresh` and `pin-bases` limited to
 * chosen images, in a second workspace: only those are locked or pinned, an image whose package
 * index or base registry cannot be reached is skipped with the reason (exit 0), and a real
 * resolution failure exits 1. Needs Poetry (skips without it outside CI) and, for pin-bases, the
 * local registry on 127.0.0.1:5000.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startIndex, type PypiIndex } from './support/pypi-index';
import {
  commit,
  createTempWorkspace,
  git,
  writeFile,
  NX_ENV,
  REPO,
  removeWorkspace,
} from '../tools/testkit/temp-workspace';
import { poetrySkipReason } from './support/poetry';

const skipReason = poetrySkipReason();

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

/**
 * The cpu profile with the local index as the explicit source of the fixture's package (and, when
 * given, a vendor index this machine cannot reach, as the only source of `vendorpkg`).
 */
function cpuProfileWith(url: string, vendorUrl?: string): string {
  const profile = parse(readFileSync(join(REPO, 'profiles/cpu/profile.yaml'), 'utf8')) as {
    package_sources: object[];
  };
  profile.package_sources.push({
    name: 'local',
    url,
    priority: 'explicit',
    packages: ['smithpkg'],
  });
  if (vendorUrl)
    profile.package_sources.push({
      name: 'vendor',
      url: vendorUrl,
      priority: 'explicit',
      packages: ['vendorpkg'],
    });
  return stringify(profile);
}

function run(cmd: string, args: string[], cwd = root): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
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
    // As the workflow runs it when started by hand for one image: the name goes through to
    // refresh and pin-bases, and `completed=true` tells the workflow to open the pull request.
    const output = `${summary}.github-output`;
    const r = spawnSync('bash', ['tools/refresh/monthly-refresh.sh', summary, 'refreshed'], {
      cwd: root,
      // The day is data: Python 3.11 ends 2027-10-01, within 180 days of it.
      env: { ...env, GITHUB_OUTPUT: output, IMAGESMITH_TODAY: '2027-05-01' },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('completed=true\n');
    rmSync(output);
    expect(read('poetry.lock')).toMatch(/name = "smithpkg"\nversion = "2.0"/);
    expect(read('requirements.txt')).toMatch(/^smithpkg==2\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}/m);
    expect(out).toMatch(/1 Dockerfile linted, 0 findings/);
    expect(out).toMatch(/Successfully ran target lint for project refreshed\b/);
    const body = readFileSync(summary, 'utf8');
    rmSync(summary);
    expect(body).toMatch(/^### refreshed \(1 change\)$/m);
    expect(body).toContain('- smithpkg: 1.0 -> 2.0');
    expect(body).toMatch(/^Images: 1 done, 0 unchanged, 0 skipped, 0 failed\.$/m);
    // The reviewer's to-do list: what ends within 180 days, with the move to make.
    expect(body).toContain('End of life (on 2027-05-01, looking 180 days ahead):');
    expect(body).toContain(
      '- `refreshed`: Python 3.11 ends 2027-10-01 (`python` in images/refreshed/image.yaml): move to 3.12',
    );
    // Everything the refresh changed is what the pull request would carry, and nothing is stale.
    // (The image README lists the locked versions, so it changes with the lock; the catalogue
    // table in images/README.md does not: the first lock already wrote its "locked" row.)
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

const LOCAL_BASE = '127.0.0.1:5000/library/python:3.11-slim-bookworm';
const spec = (packages: string, extra = '') =>
  `description: fixture\nprofile: cpu\npython: "3.11"\nversion: "1.0"\n${extra}${packages ? `python_packages: { ${packages} }\n` : ''}`;

describe('refresh and pin-bases limited to chosen images', () => {
  let chosen = '';
  let registryUp = false;
  const imagesmith = (...args: string[]) =>
    run('node', ['tools/imagesmith/bin/imagesmith.cjs', ...args], chosen);
  const locked = (image: string) => existsSync(join(chosen, 'images', image, 'poetry.lock'));

  beforeAll(async () => {
    if (skipReason) return;
    // Nothing listens on this port: the vendor index and the base registry that cannot be reached.
    const closed = await freePort();
    chosen = createTempWorkspace(
      {
        alpha: spec('smithpkg: ">=1.0"'),
        beta: spec('smithpkg: ">=1.0"'),
        gamma: spec('smithpkg: ">=1.0"'),
        vendored: spec('vendorpkg: "*"'),
        conflict: spec('smithpkg: ">=9"'),
        'acme-base': spec('', `base: ${LOCAL_BASE}\n`),
        unreachable: spec('', `base: 127.0.0.1:${closed}/daskdev/dask:2024.8.2-py3.10\n`),
      },
      {
        'profiles/cpu/profile.yaml': cpuProfileWith(
          index!.url,
          `http://127.0.0.1:${closed}/simple/`,
        ),
      },
    );
    registryUp = await fetch('http://127.0.0.1:5000/v2/', { signal: AbortSignal.timeout(3_000) })
      .then(() => true)
      .catch(() => false);
  }, 300_000);

  afterAll(() => {
    if (chosen) removeWorkspace(chosen);
  });

  it('`refresh a b vendored` locks only those, skipping the one whose index is unreachable (exit 0)', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = imagesmith('refresh', 'alpha', 'beta', 'vendored');
    expect(r.code, r.out).toBe(0);
    expect(['alpha', 'beta', 'gamma', 'vendored', 'conflict'].filter(locked)).toEqual([
      'alpha',
      'beta',
    ]);
    expect(r.out).toMatch(
      /^vendored +skipped +Poetry could not reach package source "vendor" \(http:\/\/127\.0\.0\.1:\d+\/simple\/\)/m,
    );
    expect(r.out).toMatch(/^alpha +done +1 package change in alpha$/m);
    expect(r.out).toMatch(/^images: 2 done, 0 unchanged, 1 skipped, 0 failed$/m);
  }, 600_000);

  it('a resolution failure on a reachable index fails (exit 1); --projects picks through Nx', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const r = imagesmith('refresh', '--projects', 'conf*', 'alpha');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/^conflict +failed +Poetry could not resolve/m);
    expect(r.out).toMatch(/^alpha +unchanged +lock up to date$/m);
    expect(r.out).toMatch(/^images: 0 done, 1 unchanged, 0 skipped, 1 failed$/m);
    expect(locked('conflict')).toBe(false);
  }, 600_000);

  it('--affected refreshes only the images Nx reports affected since --base', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    commit(chosen, 'locked alpha and beta');
    writeFile(
      chosen,
      'images/gamma/image.yaml',
      spec('smithpkg: ">=1.0"', 'env: { EDITED: "1" }\n'),
    );
    const r = imagesmith('refresh', '--affected', '--base', 'HEAD', 'alpha', 'gamma');
    expect(r.code, r.out).toBe(0);
    // alpha is named but not affected: only gamma (edited since HEAD) is locked.
    expect(r.out).toMatch(/^gamma +done +1 package change in gamma$/m);
    expect(r.out).not.toMatch(/^alpha /m);
    expect(r.out).toMatch(/^images: 1 done, 0 unchanged, 0 skipped, 0 failed$/m);
  }, 600_000);

  it('an unknown image is a usage error with the nearest name, and nothing is written', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    for (const command of ['refresh', 'pin-bases']) {
      const r = imagesmith(command, 'acme-bsae');
      expect(r.code, r.out).toBe(2);
      expect(r.out).toContain('unknown image "acme-bsae" (did you mean "acme-base"?)');
    }
    expect(git(chosen, 'status', '--porcelain', '--', 'base-digests.json')).toBe('');
  });

  it('`pin-bases acme-base unreachable` pins only acme-base against the local registry and skips the unreachable base', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    if (!registryUp && process.env.CI !== 'true') ctx.skip('no registry on 127.0.0.1:5000');
    const r = imagesmith('pin-bases', 'acme-base', 'unreachable');
    expect(r.code, r.out).toBe(0);
    const digests = (
      JSON.parse(readFileSync(join(chosen, 'base-digests.json'), 'utf8')) as {
        digests: Record<string, string>;
      }
    ).digests;
    expect(Object.keys(digests)).toEqual([LOCAL_BASE]);
    expect(digests[LOCAL_BASE]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.out).toMatch(
      /^127\.0\.0\.1:\d+\/daskdev\/dask:2024\.8\.2-py3\.10 +skipped +127\.0\.0\.1:\d+ could not be reached/m,
    );
    expect(r.out).toMatch(/^base tags: 1 done, 0 unchanged, 1 skipped, 0 failed$/m);
    expect(readFileSync(join(chosen, 'images/acme-base/Dockerfile'), 'utf8')).toContain(
      `${LOCAL_BASE}@${digests[LOCAL_BASE]}`,
    );
  }, 300_000);
});
