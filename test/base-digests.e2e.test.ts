/**
 * Base images pinned by digest (issue #11 item 3), end to end against the local registry: a
 * stand-in base is pushed to 127.0.0.1:5000 under two tags (reached through the workspace's
 * registry mirror, as the real catalogue's Docker Hub tags would be), `imagesmith pin-bases`
 * records their digests, the Dockerfiles name `tag@digest` and the images build; then a NEW
 * stand-in is pushed under one tag, pin-bases runs again, and exactly the images on that tag
 * (and their child) are affected under real Nx and rebuilt by the real engine, the other not.
 * Skips with the reason outside CI without docker and the local registry.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { freePort } from './support/auth-registry';
import { engineBuildsDuring } from '../tools/testkit/engine-builds';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import {
  createTempWorkspace,
  git,
  nx,
  NX_ENV,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';

const DOCKER = '/usr/bin/docker';
const STANDIN = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const RUN = `bd-${process.pid}-${Date.now()}`;
// Docker Hub-style tags; the mirror serves them as 127.0.0.1:5000/library/python:<tag>.
const TAG_A = `python:3.11-bda-${process.pid}`;
const TAG_B = `python:3.11-bdb-${process.pid}`;
const mirrored = (tag: string) => `${REGISTRY}/library/${tag}`;
const REPOSITORY = `${REGISTRY}/${RUN}`;
const spec = (base: string, extra = '') =>
  `description: base digest e2e\nprofile: cpu\npython: "3.11"\nversion: "1.0"\nbase: ${base}\n${extra}`;
const IMAGES = {
  bdona: spec(TAG_A),
  bdchild: 'description: child of bdona\nprofile: cpu\nversion: "1.0"\nbase: bdona\n',
  bdonb: spec(TAG_B),
};

let root = '';
let skip = '';
const docker = (...args: string[]) => execFileSync(DOCKER, args, { encoding: 'utf8' }).trim();
const need = (ctx: TestContext) => {
  if (skip) ctx.skip(skip);
};

function cli(...args: string[]): { code: number; out: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        IMAGESMITH_ENGINE: 'docker',
        IMAGESMITH_REGISTRY_MIRROR: undefined,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout?: string; stderr?: string };
    return { code: e.status, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function monthlyRefresh(summary: string): { code: number; out: string } {
  const r = spawnSync('bash', ['tools/refresh/monthly-refresh.sh', summary], {
    cwd: root,
    encoding: 'utf8',
    env: { ...NX_ENV, IMAGESMITH_ENGINE: 'docker' } as NodeJS.ProcessEnv,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

/** Push a stand-in under `tag` (through the mirror's name); `marker` makes it a new image. */
function pushStandin(tag: string, marker?: string): string {
  const ref = mirrored(tag);
  if (marker) {
    execFileSync(DOCKER, ['build', '--network', 'host', '-q', '-t', ref, '-'], {
      input: `FROM ${STANDIN}\nRUN echo ${marker} > /standin-marker\n`,
      env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
  } else {
    // The stand-in lives in the registry; another test may have removed its local copy.
    docker('pull', '-q', STANDIN);
    docker('tag', STANDIN, ref);
  }
  docker('push', '-q', ref);
  const repoDigest = docker('image', 'inspect', '--format', '{{json .RepoDigests}}', ref);
  const digest = (JSON.parse(repoDigest) as string[])
    .find((d) => d.startsWith(`${REGISTRY}/library/python@`))
    ?.split('@')[1];
  if (!digest) throw new Error(`no registry digest for ${ref}: ${repoDigest}`);
  return digest;
}

const digests = () =>
  (
    JSON.parse(readFileSync(join(root, 'base-digests.json'), 'utf8')) as {
      digests: Record<string, string>;
    }
  ).digests;
const dockerfile = (image: string) =>
  readFileSync(join(root, `images/${image}/Dockerfile`), 'utf8');
const commit = (message: string) => {
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', message);
};
async function buildAll() {
  return engineBuildsDuring(REPOSITORY, () => {
    for (const image of ['bdchild', 'bdonb']) {
      const r = cli('build', image);
      if (r.code !== 0) throw new Error(`build ${image} failed:\n${r.out}`);
    }
  });
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': JSON.stringify({ repository: REPOSITORY, mirrors: { registry: REGISTRY } }),
    // Build records and the refresh summary are not committed.
    '.gitignore': 'node_modules\n.nx\n.imagesmith\nsummary.md\n',
  });
}, 180_000);

afterAll(() => {
  if (!root) return;
  const refs = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter(
      (r) => r.startsWith(`${REPOSITORY}/`) || r === mirrored(TAG_A) || r === mirrored(TAG_B),
    );
  if (refs.length) docker('rmi', '-f', ...refs);
  removeWorkspace(root);
});

describe('base images pinned by digest', () => {
  it('pins, builds; a new base under the same tag affects and rebuilds exactly its images', async (ctx) => {
    need(ctx);
    const a1 = pushStandin(TAG_A);
    const b1 = pushStandin(TAG_B, 'b');
    expect(b1).not.toBe(a1);

    // Unpinned until pin-bases runs: the plain tag.
    expect(dockerfile('bdona')).toContain(`ARG BASE_IMAGE=${TAG_A}\n`);
    const pin = cli('pin-bases');
    expect(pin.code, pin.out).toBe(0);
    expect(digests()).toEqual({ [TAG_A]: a1, [TAG_B]: b1 });
    expect(dockerfile('bdona')).toContain(`ARG BASE_IMAGE=${TAG_A}@${a1}\n`);
    expect(dockerfile('bdonb')).toContain(`ARG BASE_IMAGE=${TAG_B}@${b1}\n`);
    expect(cli('generate', '--all', '--check').code).toBe(0);
    commit('pin bases');

    const first = await buildAll();
    expect(first.builds.map((b) => b.image).sort()).toEqual(['bdchild', 'bdona', 'bdonb']);
    // Same digests: nothing to rebuild, and pin-bases changes nothing.
    expect(cli('pin-bases').out).toMatch(/0 done, 2 unchanged, 0 skipped, 0 failed/);
    expect(git(root, 'status', '--porcelain')).toBe('');

    // A new stand-in under TAG_A: same tag, new digest.
    const a2 = pushStandin(TAG_A, 'v2');
    expect(a2).not.toBe(a1);
    // The monthly refresh flow (locks, then digests, nx sync, lint), as the workflow runs it.
    const refresh = monthlyRefresh(join(root, 'summary.md'));
    expect(refresh.code, refresh.out).toBe(0);
    // The run's table names the new digest; the pull request body says what moved.
    const row = refresh.out.split('\n').find((l) => l.startsWith(TAG_A));
    expect(row, refresh.out).toMatch(new RegExp(`done +${a2.slice(0, 19)}`));
    expect(digests()).toEqual({ [TAG_A]: a2, [TAG_B]: b1 });
    expect(dockerfile('bdona')).toContain(`ARG BASE_IMAGE=${TAG_A}@${a2}\n`);
    expect(readFileSync(join(root, 'summary.md'), 'utf8')).toContain(
      `\`${TAG_A}\`: ${a1} -> ${a2} (bdona)`,
    );
    commit('refresh base digests');
    const changed = git(root, 'diff', '--name-only', 'HEAD~1', 'HEAD').trim().split('\n');
    expect(changed).toContain('base-digests.json');
    expect(changed).toContain('images/bdona/Dockerfile');
    expect(changed.filter((f) => f.startsWith('images/bdonb/'))).toEqual([]);

    // Real Nx: exactly the image on that base and its child.
    const affected = JSON.parse(
      nx(
        root,
        'show',
        'projects',
        '--affected',
        '--base=HEAD~1',
        '--head=HEAD',
        '--type=app',
        '--json',
      ),
    ) as string[];
    expect(affected.sort()).toEqual(['bdchild', 'bdona']);

    // A digest changed by hand, without regenerating: nx sync:check names the stale Dockerfile.
    const committed = readFileSync(join(root, 'base-digests.json'), 'utf8');
    writeFile(
      root,
      'base-digests.json',
      committed.replace(`"${TAG_B}": "${b1}"`, `"${TAG_B}": "${a2}"`),
    );
    expect(() => nx(root, 'sync:check')).toThrow(/images\/bdonb\/Dockerfile/);
    writeFile(root, 'base-digests.json', committed);
    expect(() => nx(root, 'sync:check')).not.toThrow();

    // The real engine: exactly those rebuild, FROM the new base (its marker is in the image).
    const second = await buildAll();
    expect(second.builds.map((b) => b.image).sort()).toEqual(['bdchild', 'bdona']);
    const child = second.builds.find((b) => b.image === 'bdchild')!.ref;
    expect(
      docker('run', '--rm', '--network', 'none', '--entrypoint', 'cat', child, '/standin-marker'),
    ).toBe('v2');
  }, 600_000);

  it('a tag the mirror does not have, or a mirror that does not answer: skipped with the reason, the file unchanged', async (ctx) => {
    need(ctx);
    const before = readFileSync(join(root, 'base-digests.json'), 'utf8');
    const missing = `python:3.11-bdmissing-${process.pid}`;
    writeFile(root, 'images/bdmissing/image.yaml', spec(missing));
    try {
      // Skipped, not failed: a mirror serves only the tags it was given (issue 17: a base that
      // cannot be pinned here is reported and skipped, the others are still pinned).
      const r = cli('pin-bases');
      expect(r.code, r.out).toBe(0);
      const row = r.out.split('\n').find((l) => l.includes(missing));
      expect(row, r.out).toMatch(/skipped/);
      expect(row).toContain(`has no library/python:3.11-bdmissing-${process.pid}`);
      expect(row).toContain('(used by bdmissing)');
      expect(r.out).toMatch(/0 done, 2 unchanged, 1 skipped, 0 failed/);
      expect(readFileSync(join(root, 'base-digests.json'), 'utf8')).toBe(before);
      // A mirror that does not answer: every base is named with its images, nothing is written.
      const closed = `127.0.0.1:${await freePort()}`;
      const down = cliWith({ IMAGESMITH_REGISTRY_MIRROR: closed }, 'pin-bases');
      expect(down.code, down.out).toBe(0);
      expect(down.out).toContain(`${closed} could not be reached (connection refused)`);
      expect(down.out).toContain('(used by bdona)');
      expect(down.out).toContain('(used by bdonb)');
      expect(down.out).toMatch(/0 done, 0 unchanged, 3 skipped, 0 failed/);
      expect(readFileSync(join(root, 'base-digests.json'), 'utf8')).toBe(before);
    } finally {
      execFileSync('rm', ['-rf', join(root, 'images/bdmissing')]);
    }
  }, 120_000);
});
