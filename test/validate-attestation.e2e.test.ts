/**
 * Validation attested on the digest (issue #12 item 4), with real cosign, docker and the registry
 * on 127.0.0.1: runner A (IMAGESMITH_HARDWARE=gpu, the signing key) validates and attests; runner B
 * (its own clone, no GPU, the public key only) verifies that attestation on the same digest
 * instead of starting a container, and counts the GPU check passed through it. A GPU check with no
 * GPU attestation is skipped as before; an attestation signed by another key is not accepted.
 * Containers are counted from the engine's own events. Skips with the reason when docker, the
 * registry or cosign is missing, never under CI=true.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectChecks, contractHash } from '@imagesmith/plan';
import { makeWhich, type CosignKey } from '../libs/engine/src/index';
import { loadWorkspace } from '../libs/core/src/index';
import { FIRST_ENGINE } from '../tools/testkit/engine-builds';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';
import {
  buildPredicate,
  VALIDATE_PREDICATE_TYPE,
} from '../tools/imagesmith/src/workflows/validate/attestation-predicate';
import {
  attestValidation,
  digestRef,
  verifiedValidations,
} from '../tools/imagesmith/src/workflows/validate/attestation-registry';
import { verifyValidation } from '../tools/imagesmith/src/workflows/validate/attestation-requirements';
import { satisfyChecks } from '../tools/imagesmith/src/workflows/validate/attestation-satisfy';
import { attestedResults } from '../tools/imagesmith/src/workflows/validate/attestation-validate';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';

const sh = promisify(execFile);
const docker = FIRST_ENGINE.docker;
const PASSWORD = 'attest-test-password';

// A profile of its own whose hardware check needs no run flags (no --gpus): on this machine a
// runner with IMAGESMITH_HARDWARE=gpu runs it in a plain container.
const PROFILE = `description: stand-in GPU profile for the attestation test (no run flags)
hardware: gpu
python_install: provided
glibc: '2.36'
python_versions: ['3.11']
provides: [gpu]
bases:
  '3.11': python:3.11-slim-bookworm
system_packages: []
`;
const IMAGES = {
  attestapp: `description: attestation fixture
profile: attest-gpu
python: "3.11"
version: "1.0"
tests:
  commands:
    - { name: gpu answers, run: "echo gpu-ok", output: "^gpu-ok$", requires: gpu }
    - { name: shell works, run: "echo cpu-ok", output: "^cpu-ok$" }
`,
  attestchild: `description: attestation fixture child
profile: attest-gpu
base: attestapp
tests:
  commands:
    - { name: child shell works, run: "echo child-ok", output: "^child-ok$" }
`,
};
const repo = `${REGISTRY}/attest-${process.pid}-${Date.now()}`;

let skip = '';
let keys = '';
const A = { root: '', env: {} as Record<string, string> };
const B = { root: '', env: {} as Record<string, string> };
let other = { key: '', pub: '' };

async function cli(r: { root: string; env: Record<string, string> }, args: string[]) {
  const started = Date.now();
  try {
    const { stdout, stderr } = await sh(
      'node',
      [join(r.root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args],
      {
        cwd: r.root,
        encoding: 'utf8',
        env: { ...process.env, IMAGESMITH_ENGINE: 'docker', ...r.env },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout?: string; stderr?: string };
    return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  } finally {
    console.log(
      `${args.join(' ')} (${r.env.RUNNER_NAME}): ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

/** A cosign key pair in its own folder (cosign generate-key-pair, password from the environment). */
async function keyPair(name: string): Promise<{ key: string; pub: string }> {
  const dir = join(keys, name);
  await sh('mkdir', ['-p', dir]);
  await sh('cosign', ['generate-key-pair'], {
    cwd: dir,
    env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
  });
  return { key: join(dir, 'cosign.key'), pub: join(dir, 'cosign.pub') };
}

/** The content tag of an image in a workspace (the build record). */
function contentRef(root: string, image: string): string {
  return (
    JSON.parse(
      readFileSync(join(root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
    ) as { reference: string }
  ).reference;
}

async function registryDigest(ref: string): Promise<string> {
  const at = ref.lastIndexOf(':');
  const res = await fetch(
    `http://${REGISTRY}/v2/${ref.slice(REGISTRY.length + 1, at)}/manifests/${ref.slice(at + 1)}`,
    {
      method: 'HEAD',
      headers: {
        Accept: [
          'application/vnd.oci.image.index.v1+json',
          'application/vnd.docker.distribution.manifest.list.v2+json',
          'application/vnd.oci.image.manifest.v1+json',
          'application/vnd.docker.distribution.manifest.v2+json',
        ].join(', '),
      },
    },
  );
  const digest = res.headers.get('docker-content-digest');
  if (!digest) throw new Error(`${ref}: no digest (${res.status})`);
  return digest;
}

/** Containers the engine created from this test's repository while `fn` ran (its own events). */
async function containersDuring<T>(fn: () => Promise<T>): Promise<{ result: T; started: number }> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const result = await fn();
  const until = Math.floor(Date.now() / 1000) + 1;
  const { stdout } = await sh(docker, [
    'events',
    '--since',
    String(since),
    '--until',
    String(until),
    '--filter',
    'type=container',
    '--filter',
    'event=create',
    '--format',
    '{{.Actor.Attributes.image}}',
  ]);
  return { result, started: stdout.split('\n').filter((l) => l.startsWith(repo)).length };
}

const localImage = async (ref: string) =>
  await sh(docker, ['image', 'inspect', ref]).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  if (!makeWhich(process.env)('cosign')) {
    if (process.env.CI === 'true')
      throw new Error(
        'CI=true and cosign is not on PATH (bash tools/setup.sh --engine installs it)',
      );
    skip = 'cosign is not on PATH (bash tools/setup.sh --engine installs it)';
    return;
  }
  keys = mkdtempSync(join(tmpdir(), 'imagesmith-attest-keys-'));
  const [team, otherPair] = await Promise.all([keyPair('team'), keyPair('other')]);
  other = otherPair;
  const files = (pub: string) => ({
    'imagesmith.json': JSON.stringify({
      repository: repo,
      mirrors: { registry: REGISTRY },
      signing: { public_key: 'cosign.pub' },
    }),
    'cosign.pub': readFileSync(pub, 'utf8'),
    'profiles/attest-gpu/profile.yaml': PROFILE,
  });
  // The private key comes as CI passes it: its text in COSIGN_KEY, its password in COSIGN_PASSWORD.
  const signer = (key: string, name: string) => ({
    COSIGN_KEY: readFileSync(key, 'utf8'),
    COSIGN_PASSWORD: PASSWORD,
    RUNNER_NAME: name,
  });
  A.root = createTempWorkspace(IMAGES, files(team.pub));
  A.env = { ...signer(team.key, 'runner-a'), IMAGESMITH_HARDWARE: 'gpu' };
  // Runner B: its own clone and state, no GPU, the public key only (verifies, never signs).
  B.root = createTempWorkspace(IMAGES, files(team.pub));
  B.env = { RUNNER_NAME: 'runner-b', IMAGESMITH_HARDWARE: '' };
}, 180_000);

afterAll(async () => {
  const { stdout } = await sh(docker, [
    'image',
    'ls',
    '--format',
    '{{.Repository}}:{{.Tag}}',
  ]).catch(() => ({ stdout: '' }));
  const tags = stdout.split('\n').filter((t) => t.startsWith(`${repo}/`));
  if (tags.length > 0) await sh(docker, ['rmi', '-f', ...tags]).catch(() => undefined);
  for (const r of [A, B]) if (r.root) removeWorkspace(r.root);
  if (keys) rmSync(keys, { recursive: true, force: true });
}, 120_000);

describe('validation attested on the digest', () => {
  it("a GPU check runs once per digest: a CPU runner verifies the GPU runner's attestation and starts no container; a forged one is not accepted", async (ctx) => {
    if (skip) return ctx.skip(skip);
    // A builds and pushes (nothing validated yet: push attests nothing).
    const built = await cli(A, ['build', 'attestapp']);
    expect(built.code, built.out).toBe(0);
    const pushed = await cli(A, ['push', 'attestapp']);
    expect(pushed.code, pushed.out).toBe(0);
    const ref = contentRef(A.root, 'attestapp');
    const digest = await registryDigest(ref);

    // A forgery: a well-formed predicate claiming every check passed on a GPU runner, attested
    // on the digest with another key.
    const checks = collectChecks(loadWorkspace(B.root), 'attestapp', []);
    const claim = buildPredicate({
      image: 'attestapp',
      checks,
      contract: contractHash(checks),
      cases: checks.map((c) => ({ name: c.name, classname: c.from, status: 'passed' })),
      runner: {
        name: 'forger',
        hardware: ['gpu'],
        engine: { name: 'docker', version: '26.1.5' },
        imagesmith: '0.1.0',
        platform: 'linux/amd64',
      },
    });
    const otherKey: CosignKey = { kind: 'file', path: other.key, setting: 'other key' };
    await attestValidation(ref, digest, claim, otherKey, {
      env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
    });

    // B without a GPU: the forged attestation is not accepted, the checks run here, the GPU check
    // is skipped as before.
    const first = await containersDuring(() => cli(B, ['validate', 'attestapp', '--verbose']));
    expect(first.result.code, first.result.out).toBe(0);
    expect(first.result.out).toMatch(
      /attestapp: contract passed \(2 passed, 0 failed, 1 skipped\)/,
    );
    expect(first.result.out).toMatch(/SKIP \[attestapp\] gpu answers: needs an NVIDIA GPU/);
    expect(first.result.out).not.toMatch(/verified attestation/);
    expect(first.result.out).toMatch(
      /attestapp: attestations not used: the content it names \(sha256:[0-9a-f]{64}\) has attestations, but none signed by the key in signing\.public_key/,
    );
    expect(first.started).toBeGreaterThan(0);

    // A with a GPU validates the digest it pushed and attests the result with the team's key.
    const onGpu = await cli(A, ['validate', 'attestapp']);
    expect(onGpu.code, onGpu.out).toBe(0);
    expect(onGpu.out).toMatch(/attestapp: contract passed \(3 passed, 0 failed, 0 skipped\)/);
    expect(onGpu.out).toContain(
      `attestapp: attested the passed result on ${digestRef(ref, digest)} (${VALIDATE_PREDICATE_TYPE}`,
    );

    // B, the image gone from its engine: the attestation stands for every check, the GPU one
    // passed through it; no container starts and nothing is pulled.
    await sh(docker, ['rmi', '-f', ref]);
    const second = await containersDuring(() => cli(B, ['validate', 'attestapp', '--verbose']));
    expect(second.result.code, second.result.out).toBe(0);
    expect(second.result.out).toMatch(
      /attestapp: contract passed \(3 passed, 0 failed, 0 skipped; verified attestation from runner-a \(gpu\), no container started\)/,
    );
    expect(second.result.out).toMatch(
      /PASS \[attestapp\] gpu answers: passed through the verified attestation from runner-a \(gpu\)/,
    );
    expect(second.started).toBe(0);
    expect(await localImage(ref)).toBe(false);

    // What the team's key verifies on the digest: A's attestation, never the forger's.
    const team: CosignKey = { kind: 'file', path: join(B.root, 'cosign.pub'), setting: 'team key' };
    const found = await verifiedValidations(ref, digest, team);
    expect(found.predicates.map((p) => p.runner.name)).toEqual(['runner-a']);
    expect(found.predicates[0]).toMatchObject({
      image: 'attestapp',
      result: 'passed',
      runner: { hardware: ['gpu'], engine: { name: 'docker' } },
    });
    const otherPub: CosignKey = { kind: 'file', path: other.pub, setting: 'other key' };
    expect(
      (await verifiedValidations(ref, digest, otherPub)).predicates.map((p) => p.runner.name),
    ).toEqual(['forger']);

    // A changed contract: the same attestations stand for nothing, every check B can run runs.
    expect(
      attestedResults({ verified: found.predicates }, checks, contractHash(checks), new Set(), [
        undefined,
      ]),
    ).toBeDefined();
    const changed = [...checks, { ...checks[1]!, name: 'a new check', id: 'attestapp/9' }];
    expect(
      attestedResults({ verified: found.predicates }, changed, contractHash(changed), new Set(), [
        undefined,
      ]),
    ).toBeUndefined();
    expect(
      satisfyChecks(changed, new Set(), found.predicates, { contract: contractHash(changed) }).run,
    ).toEqual([1, 2, 3]);

    // promote's question: validate and validate:gpu, by the team's key only.
    expect(
      await verifyValidation(ref, { publicKey: team, requires: ['validate', 'validate:gpu'] }),
    ).toMatchObject({ ok: true, digest });
    const byOther = await verifyValidation(ref, {
      publicKey: otherPub,
      requires: ['validate'],
      contract: contractHash(changed),
    });
    expect(byOther.ok).toBe(false);
  }, 600_000);

  it('build, validate, push leaves an attestation: push attests the cached passing result', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const built = await cli(A, ['build', 'attestchild']);
    expect(built.code, built.out).toBe(0);
    const validated = await cli(A, ['validate', 'attestchild']);
    expect(validated.code, validated.out).toBe(0);
    expect(validated.out).toMatch(
      /attestchild: not attested: .* is not in the registry yet \(push attests this result\)/,
    );
    const pushed = await cli(A, ['push', 'attestchild']);
    expect(pushed.code, pushed.out).toBe(0);
    const ref = contentRef(A.root, 'attestchild');
    const digest = await registryDigest(ref);
    expect(pushed.out).toContain(
      `attestchild: attested the passed result on ${digestRef(ref, digest)}`,
    );
    const team: CosignKey = { kind: 'file', path: join(A.root, 'cosign.pub'), setting: 'team key' };
    expect(
      await verifyValidation(ref, { publicKey: team, requires: ['validate:gpu'] }),
    ).toMatchObject({ ok: true });
    // B verifies the child's digest without starting anything.
    await sh(docker, ['rmi', '-f', ref]);
    const onB = await containersDuring(() => cli(B, ['validate', 'attestchild']));
    expect(onB.result.code, onB.result.out).toBe(0);
    expect(onB.result.out).toMatch(
      /verified attestation from runner-a \(gpu\), no container started/,
    );
    expect(onB.started).toBe(0);
  }, 600_000);
});
