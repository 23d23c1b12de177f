/**
 * Reproducible pushes through a standalone BuildKit (issue 9 item 6): with a fixed
 * SOURCE_DATE_EPOCH, two clean builds of the same generated image by the remote builder of
 * .ci/setup-buildkitd.sh (its cache pruned before each, pushed to two repositories) give the same
 * manifest digest, as the registry reports it. When they do not, the failure lists what differs
 * (config keys, and per layer the files) from the registry's own manifests, configs and layers.
 * Skips with the reason outside CI when the engine, the registry or buildkitd is missing; in CI
 * (CI=true) it fails instead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { REGISTRY } from './support/engine-env';
import {
  explainDifference,
  getConfig,
  getBlob,
  getManifest,
  imageFile,
  imageManifestDigest,
  layerFiles,
} from './support/registry-image';
import { newBuilds, REMOTE_BUILDER, type RemoteBuilder } from './support/remote-builder';
import { remoteBuilderWorkspace } from './support/remote-builder-workspace';
import { removeWorkspace } from '../tools/testkit/temp-workspace';

const EPOCH = 1_700_000_000;
const RUN = `e2e-rdigest-${process.pid}-${Date.now()}`;
// Python 3.9 (the bullseye stand-in): no build step in common with remote-builder.e2e.test.ts,
// which may build through the same daemon at the same time, so each build here starts cold.
const SPEC = `description: reproducible digest e2e
profile: cpu
python: "3.9"
allow_eol: the bullseye stand-in is the only 3.9 here
version: "1.0"
commands: ["mkdir -p /opt/repro && echo same >/opt/repro/made"]
`;

let skip = '';
let root = '';
let builder: RemoteBuilder;
let release: (() => void) | undefined;

function need(ctx: TestContext): void {
  if (skip) ctx.skip(skip);
}

interface Pushed {
  ref: string;
  digest: string | undefined;
  /** The daemon's build records for this build (one: it was not found anywhere). */
  builds: number;
}

/** `imagesmith build` on a pruned remote builder, pushing under `repository`. */
async function cleanBuild(repository: string): Promise<Pushed> {
  builder.prune();
  const before = builder.records();
  execFileSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), 'build', 'rdrepro'], {
    cwd: root,
    env: {
      ...process.env,
      IMAGESMITH_BUILDER: REMOTE_BUILDER,
      IMAGESMITH_BUILD_OUTPUT: 'registry',
      IMAGESMITH_REPOSITORY: repository,
      SOURCE_DATE_EPOCH: String(EPOCH),
    },
    stdio: 'pipe',
  });
  const { reference: ref } = JSON.parse(
    readFileSync(join(root, 'images/rdrepro/.imagesmith/build-production.json'), 'utf8'),
  ) as { reference: string };
  return {
    ref,
    // The image manifest: the index around it also lists BuildKit's provenance, which records
    // when this build ran (never reproducible, by design: moby/buildkit#3421).
    digest: await imageManifestDigest(ref),
    builds: newBuilds(before, builder.records(), repository).length,
  };
}

let both: Promise<[Pushed, Pushed]> | undefined;
/** The two clean builds, made once for every test below. */
function twoBuilds(): Promise<[Pushed, Pushed]> {
  both ??= (async () => {
    const first = await cleanBuild(`${REGISTRY}/${RUN}-a`);
    const second = await cleanBuild(`${REGISTRY}/${RUN}-b`);
    return [first, second];
  })();
  return both;
}

beforeAll(async () => {
  const got = await remoteBuilderWorkspace({ rdrepro: SPEC }, `${REGISTRY}/${RUN}-a`);
  if ('skip' in got) skip = got.skip;
  else ({ root, builder, release } = got);
}, 960_000);

afterAll(() => {
  release?.();
  if (root) removeWorkspace(root);
});

describe('reproducible digests through a standalone BuildKit', () => {
  it('gives the same pushed image manifest digest for two clean builds with the same SOURCE_DATE_EPOCH', async (ctx) => {
    need(ctx);
    const [a, b] = await twoBuilds();
    expect([a.builds, b.builds]).toEqual([1, 1]);
    // The same content tag (the hash does not depend on the repository), in two repositories.
    expect(b.ref.slice(b.ref.lastIndexOf(':'))).toBe(a.ref.slice(a.ref.lastIndexOf(':')));
    expect(a.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const why = a.digest === b.digest ? [] : await explainDifference(a.ref, b.ref);
    expect(
      b.digest,
      `${a.ref}@${a.digest} and ${b.ref}@${b.digest} differ:\n  ${why.join('\n  ')}`,
    ).toBe(a.digest);
  }, 900_000);

  it('stamps SOURCE_DATE_EPOCH on the config, its history and every file of the layers it built', async (ctx) => {
    need(ctx);
    const [a] = await twoBuilds();
    const when = new Date(EPOCH * 1000).toISOString().replace('.000Z', 'Z');
    const config = (await getConfig(a.ref)) as {
      created: string;
      history: { created: string; comment?: string }[];
    };
    expect(config.created).toBe(when);
    const steps = config.history.filter((h) => h.comment === 'buildkit.dockerfile.v0');
    expect(steps.length).toBeGreaterThan(0);
    for (const h of steps) expect(h.created).toBe(when);
    // rewrite-timestamp: no file of a layer this build made is newer than the source date.
    const built = (await getManifest(a.ref)).layers.filter(
      (l) => l.annotations?.['buildkit/rewritten-timestamp'] === String(EPOCH),
    );
    expect(built.length).toBeGreaterThan(1);
    for (const layer of built) {
      const newer = [...layerFiles(await getBlob(a.ref, layer.digest))].filter(
        ([, f]) => f.mtime > EPOCH,
      );
      expect(newer.map(([path]) => path)).toEqual([]);
    }
  }, 300_000);

  it("writes no build date into a file: the runtime user's /etc/shadow entry", async (ctx) => {
    need(ctx);
    const [a] = await twoBuilds();
    // The user the generated Dockerfile creates (uid 1000); the base's own users are not ours.
    const passwd = (await imageFile(a.ref, '/etc/passwd')) ?? '';
    const user = passwd
      .split('\n')
      .find((l) => l.split(':')[2] === '1000')
      ?.split(':')[0];
    expect(user, passwd).toBeTruthy();
    const entry = ((await imageFile(a.ref, '/etc/shadow')) ?? '')
      .split('\n')
      .find((l) => l.startsWith(`${user}:`));
    // Field 3: the day of the last password change, which useradd takes from SOURCE_DATE_EPOCH
    // when that is in its environment, else from the clock: a build on another day would differ.
    // SOURCE_DATE_EPOCH's day, or no day at all (an empty field), is the same on every build.
    const day = entry?.split(':')[2];
    const sourceDay = String(Math.floor(EPOCH / 86400));
    expect(
      [sourceDay, ''],
      `/etc/shadow: ${entry} (the build day; SOURCE_DATE_EPOCH's is ${sourceDay})`,
    ).toContain(day);
  }, 300_000);
});
