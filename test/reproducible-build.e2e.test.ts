/**
 * Reproducible builds with buildah (issue #11 item 9): the same inputs built twice, with the
 * engine's storage pruned in between, give the same image id and the same pushed digest when the
 * build has a source date (`--timestamp`); without one they differ. Runs buildah on a private
 * storage root (CONTAINERS_STORAGE_CONF), so other builds on this machine are not disturbed,
 * pulling the stand-in base from the local registry. Skips with the reason outside CI when
 * buildah or the local registry is missing; in CI (CI=true) it fails instead.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createEngine, makeWhich, type Engine } from '../libs/engine/src/index';
import { REGISTRY, registryUp } from './support/engine-env';
import { createTempWorkspace, git, removeWorkspace } from '../tools/testkit/temp-workspace';

const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const RUN = `h3repro-${process.pid}-${Date.now()}`;
const EPOCH = 1_700_000_000;
const DOCKERFILE = `ARG BASE_IMAGE
FROM \${BASE_IMAGE}
COPY app.txt /opt/app/app.txt
RUN mkdir -p /opt/app/data && printf 'made by RUN\\n' >/opt/app/data/run.txt
ENV APP_HOME=/opt/app
LABEL org.example.test="reproducible"
USER 1000:1000
`;

let skip = '';
let dir = '';
let env: NodeJS.ProcessEnv = {};
let engine: Engine;
let buildah = '';

function need(ctx: TestContext): void {
  if (skip) ctx.skip(skip);
}

/** buildah on the private storage root (never the machine's). */
const sh = (...args: string[]) =>
  execFileSync(buildah, ['--storage-driver', 'overlay', ...args], { encoding: 'utf8', env });

/** Like `buildah rmi --all` on a fresh machine: no image, no cached layer, no base. */
function prune(): void {
  sh('rm', '--all');
  sh('rmi', '--all', '--force');
  expect(sh('images', '--quiet', '--all').trim()).toBe('');
}

async function build(tag: string, sourceDateEpoch?: number) {
  const context = join(dir, 'context');
  const { imageId } = await engine.build({
    contextDir: context,
    dockerfile: join(context, 'Dockerfile'),
    tags: [tag],
    buildArgs: { BASE_IMAGE: BASE },
    sourceDateEpoch,
  });
  const { digest } = await engine.push(tag);
  const created = sh('inspect', '--type', 'image', '--format', '{{.OCIv1.Created}}', tag).trim();
  return { imageId, digest, created };
}

beforeAll(async () => {
  buildah = makeWhich()('buildah') ?? '';
  const missing = !buildah
    ? 'buildah is not installed (`apt-get install -y buildah`; .ci/setup-engine.sh installs it)'
    : !(await registryUp())
      ? `registry ${REGISTRY} does not answer (bash .ci/setup-registry.sh && bash .ci/make-base-images.sh)`
      : undefined;
  if (missing) {
    if (/^(1|true|yes)$/i.test(process.env.CI ?? ''))
      throw new Error(`CI=true and ${missing} (nothing may skip in CI)`);
    skip = missing;
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'imagesmith-h3repro-'));
  const conf = join(dir, 'storage.conf');
  writeFileSync(
    conf,
    `[storage]\ndriver = "overlay"\ngraphroot = "${join(dir, 'root')}"\nrunroot = "${join(dir, 'run')}"\n`,
  );
  env = { ...process.env, CONTAINERS_STORAGE_CONF: conf };
  engine = createEngine('buildah', { binary: buildah, env });
  await engine.info();
  execFileSync('mkdir', ['-p', join(dir, 'context')]);
  writeFileSync(join(dir, 'context', 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'context', 'app.txt'), 'same input\n');
}, 120_000);

afterAll(() => {
  if (!dir) return;
  try {
    prune();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('reproducible buildah builds', () => {
  it('gives the same image id and digest for the same inputs on a pruned engine, with a source date', async (ctx) => {
    need(ctx);
    const first = await build(`${REGISTRY}/${RUN}/app:first`, EPOCH);
    prune();
    const second = await build(`${REGISTRY}/${RUN}/app:second`, EPOCH);
    expect(second.imageId).toBe(first.imageId);
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.digest).toBe(first.digest);
    expect(new Date(first.created).getTime() / 1000).toBe(EPOCH);

    // The control: without a source date the created time (and so the id) changes.
    prune();
    const stamped = await build(`${REGISTRY}/${RUN}/app:now`);
    expect(stamped.imageId).not.toBe(first.imageId);
  }, 600_000);

  it('imagesmith build of a generated image: the last commit time, and the same id twice on a pruned engine', async (ctx) => {
    need(ctx);
    const root = createTempWorkspace(
      { h3repro: 'description: reproducible e2e\nprofile: cpu\npython: "3.11"\nversion: "1.0"\n' },
      {
        'imagesmith.json': JSON.stringify({
          repository: `${REGISTRY}/${RUN}`,
          mirrors: { registry: REGISTRY },
        }),
      },
    );
    const ref = `${REGISTRY}/${RUN}/h3repro:1.0`;
    const imagesmithBuild = () => {
      execFileSync(
        'node',
        [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), 'build', 'h3repro'],
        {
          cwd: root,
          env: { ...env, IMAGESMITH_ENGINE: 'buildah', SOURCE_DATE_EPOCH: '' },
          stdio: 'pipe',
        },
      );
      const created = sh('inspect', '--type', 'image', '--format', '{{.OCIv1.Created}}', ref);
      const id = sh('inspect', '--type', 'image', '--format', '{{.FromImageID}}', ref);
      return [id.trim(), created.trim()];
    };
    try {
      const [firstId, created] = imagesmithBuild();
      const commitTime = Number(git(root, 'log', '-1', '--format=%ct').trim());
      expect(new Date(created!).getTime() / 1000).toBe(commitTime);
      // The venv's .pyc files (pip, from ensurepip) too: hash-based because of SOURCE_DATE_EPOCH.
      prune();
      const [secondId] = imagesmithBuild();
      expect(secondId).toBe(firstId);
    } finally {
      removeWorkspace(root);
    }
  }, 600_000);
});
