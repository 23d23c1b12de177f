/**
 * Two CI runners, one registry (issue #11 item 7): runner A is the engine the other tests use,
 * runner B a second dockerd of its own (support/second-engine.ts: own data root, exec root and
 * socket), each with its own clone of the fixture workspace, both on the local registry. Engine
 * builds are counted from each engine's own events (tools/testkit/engine-builds.ts). Skips with the
 * reason outside CI when docker or the registry is missing; in CI (CI=true) it fails instead.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildEngine, engineBuildsDuring, FIRST_ENGINE } from '../tools/testkit/engine-builds';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { startSecondEngine, type SecondEngine } from './support/second-engine';
import {
  createTempWorkspace,
  NX_ENV,
  REPO,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';

const IMAGES = {
  h5parent: `description: two-runner parent
profile: cpu
python: "3.11"
version: "1.0"
tests:
  commands:
    - name: python runs
      run: python -c "print(6*7)"
      output: "^42$"
`,
  h5child: `description: two-runner child
profile: cpu
base: h5parent
commands: ["mkdir -p /data"]
tests:
  files: { exist: [/data] }
`,
};
const repo = `${REGISTRY}/h5runners-${process.pid}-${Date.now()}`;
const config = {
  'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }),
};

interface Runner {
  name: string;
  root: string;
  env: Record<string, string>;
  docker: string;
  /** Its engine, for counting builds (tools/testkit/engine-builds.ts). */
  engine: BuildEngine;
}
let skip = '';
let second: SecondEngine | undefined;
const A: Runner = {
  name: 'A',
  root: '',
  env: {},
  docker: FIRST_ENGINE.docker,
  engine: FIRST_ENGINE,
};
const B: Runner = { name: 'B', root: '', env: {}, docker: '', engine: FIRST_ENGINE };

async function run(r: Runner, cmd: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, args, {
      cwd: r.root,
      encoding: 'utf8',
      env: { ...NX_ENV, CI: 'true', IMAGESMITH_ENGINE: 'docker', ...r.env } as NodeJS.ProcessEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout?: string; stderr?: string };
    return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
const nx = (r: Runner, args: string[]) => run(r, join(REPO, 'node_modules/.bin/nx'), args);
const cli = (r: Runner, args: string[]) =>
  run(r, 'node', ['tools/imagesmith/bin/imagesmith.cjs', ...args]);
async function withBuilds<T>(r: Runner, fn: () => Promise<T>) {
  const { result, builds } = await engineBuildsDuring(repo, fn, r.engine);
  return { result, built: builds.map((b) => b.image).sort() };
}
const meta = (r: Runner, image: string) =>
  JSON.parse(
    readFileSync(join(r.root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
  ) as {
    reference: string;
    tags: string[];
    contentHash: string;
    imageId: string;
    result: string;
  };
async function inspect(
  r: Runner,
  ref: string,
): Promise<{ id: string; label: string; layers: string[] }> {
  const out = await run(r, r.docker, ['image', 'inspect', '--format', '{{json .}}', ref]);
  if (out.code !== 0) throw new Error(`${r.name}: ${ref} is not local: ${out.out}`);
  const j = JSON.parse(out.out) as {
    Id: string;
    Config: { Labels: Record<string, string> };
    RootFS: { Layers: string[] };
  };
  return {
    id: j.Id,
    label: j.Config.Labels['dev.imagesmith.content-hash'] ?? '',
    layers: j.RootFS.Layers,
  };
}
async function inRegistry(ref: string): Promise<number> {
  const [name, tag] = [
    ref.slice(REGISTRY.length + 1, ref.lastIndexOf(':')),
    ref.slice(ref.lastIndexOf(':') + 1),
  ];
  const res = await fetch(`http://${REGISTRY}/v2/${name}/manifests/${tag}`, {
    method: 'HEAD',
    // A registry answers an OCI manifest or index (Docker's containerd image store pushes an index
    // when BuildKit's provenance comes along) only to a client that accepts it.
    headers: {
      Accept: [
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.oci.image.index.v1+json',
      ].join(', '),
    },
  });
  return res.status;
}
/** Every tag in a build record names one image, labelled with the record's content hash. */
async function expectConsistent(r: Runner, image: string): Promise<string> {
  const m = meta(r, image);
  const seen = await Promise.all(m.tags.map((t) => inspect(r, t)));
  expect(new Set(seen.map((s) => s.id)).size, `${r.name} ${image} tags`).toBe(1);
  expect(seen[0]!.label).toBe(m.contentHash);
  return m.contentHash;
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  second = await startSecondEngine('h5runners');
  B.env = second.env;
  B.docker = second.dockerBin;
  B.engine = second.builds;
  A.root = createTempWorkspace(IMAGES, config);
  // Runner B: its own fresh clone, no .imagesmith state.
  B.root = createTempWorkspace(IMAGES, config);
}, 180_000);

afterAll(async () => {
  for (const r of [A, B]) {
    if (!r.root) continue;
    const tags = (
      await run(r, r.docker, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
    ).out
      .split('\n')
      .filter((t) => t.startsWith(`${repo}/`) && !t.endsWith(':<none>'));
    if (tags.length) await run(r, r.docker, ['rmi', '-f', ...tags]);
    removeWorkspace(r.root);
  }
  await second?.stop();
}, 120_000);

describe('two runners, one registry', () => {
  it('A builds and pushes; B builds nothing, validates and pushes from the registry copies', async (ctx) => {
    if (skip) ctx.skip(skip);
    const a = await withBuilds(A, () => nx(A, ['run-many', '-t', 'build']));
    expect(a.result.code, a.result.out).toBe(0);
    expect(a.built).toEqual(['h5child', 'h5parent']);
    const pushed = await nx(A, ['run-many', '-t', 'push']);
    expect(pushed.code, pushed.out).toBe(0);

    const b = await withBuilds(B, () => nx(B, ['run-many', '-t', 'build']));
    expect(b.result.code, b.result.out).toBe(0);
    expect(b.built).toEqual([]);
    for (const image of ['h5parent', 'h5child']) {
      expect(meta(B, image)).toMatchObject({
        result: 'present-registry',
        reference: meta(A, image).reference,
      });
      expect(await inRegistry(meta(B, image).reference)).toBe(200);
    }
    const validated = await withBuilds(B, () => nx(B, ['run-many', '-t', 'validate']));
    expect(validated.result.code, validated.result.out).toBe(0);
    expect(validated.built).toEqual([]);
    expect((await inspect(B, meta(B, 'h5child').reference)).label).toBe(
      meta(A, 'h5child').contentHash,
    );
    // push on a fresh runner where build found the image only in the registry.
    const bPush = await nx(B, ['run', 'h5child:push']);
    expect(bPush.code, bPush.out).toBe(0);
    expect(bPush.out).not.toMatch(/is not built/);
  }, 900_000);

  it('a child change on B rebuilds only the child, FROM the parent pulled from the registry', async (ctx) => {
    if (skip) ctx.skip(skip);
    await run(B, B.docker, ['rmi', '-f', meta(B, 'h5parent').reference]);
    writeFile(B.root, 'images/h5child/image.yaml', `${IMAGES.h5child}env: { ON_B: "1" }\n`);
    expect((await cli(B, ['generate', '--all'])).code).toBe(0);
    const b = await withBuilds(B, () => nx(B, ['run-many', '-t', 'build']));
    expect(b.result.code, b.result.out).toBe(0);
    expect(b.built).toEqual(['h5child']);
    // BuildKit pulls a FROM image into its own store, not the engine's image list: the parent's
    // layers, as A built and pushed them, are the first layers of B's child.
    const parent = await inspect(A, meta(A, 'h5parent').reference);
    const child = await inspect(B, meta(B, 'h5child').reference);
    expect(meta(B, 'h5parent').reference).toBe(meta(A, 'h5parent').reference);
    expect(child.layers.length).toBeGreaterThan(parent.layers.length);
    expect(child.layers.slice(0, parent.layers.length)).toEqual(parent.layers);
    await expectConsistent(B, 'h5child');
  }, 600_000);

  it('the same build started twice at once on A and once on B ends with correct tags and records', async (ctx) => {
    if (skip) ctx.skip(skip);
    const changed = `${IMAGES.h5child}env: { BOTH: "1" }\n`;
    for (const r of [A, B]) {
      writeFile(r.root, 'images/h5child/image.yaml', changed);
      expect((await cli(r, ['generate', '--all'])).code).toBe(0);
    }
    const all = await Promise.all([
      cli(A, ['build', 'h5child']),
      cli(A, ['build', 'h5child']),
      cli(B, ['build', 'h5child']),
    ]);
    for (const r of all) expect(r.code, r.out).toBe(0);
    const hashA = await expectConsistent(A, 'h5child');
    const hashB = await expectConsistent(B, 'h5child');
    expect(hashA).toBe(hashB);
    expect(meta(A, 'h5child').reference).toBe(meta(B, 'h5child').reference);
  }, 600_000);
});
