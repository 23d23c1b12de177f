/**
 * Supply chain (issue 12) through the real engine, registry, Poetry, syft and oras: two tiny images
 * locked from a hermetic index (a parent, and a child whose spec `commands:` step pip-installs a
 * package its lock does not pin) are built by imagesmith into the engine and pushed. Every pushed
 * platform image then carries BuildKit's SLSA provenance (with the spec's git commit) and an SPDX
 * SBOM (an OCI referrer: the workspace has no signing key) listing its Debian and Python packages;
 * and `validate` fails the child, naming the package, the version found and the locks, while the
 * parent passes. Skips with the reason locally when a tool is missing; in CI (CI=true) it fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { findSyft } from '../libs/engine/src/syft';
import { REGISTRY } from './support/engine-env';
import { poetrySkipReason } from './support/poetry';
import { startIndex, type PypiIndex } from './support/pypi-index';
import { registryWorkspace } from './support/registry-workspace';
import { git, removeWorkspace } from '../tools/testkit/temp-workspace';

const DOCKER = '/usr/bin/docker';
const RUN = `e2e-sbom-${process.pid}-${Date.now().toString(36)}`;
const REPOSITORY = `${REGISTRY}/${RUN}`;

let skip = '';
let root = '';
let index: PypiIndex | undefined;
const poetryCache = mkdtempSync(join(tmpdir(), 'imagesmith-sbom-poetry-'));

function need(ctx: TestContext): void {
  if (skip) ctx.skip(skip);
}

interface Ran {
  code: number;
  out: string;
}

function cli(...args: string[]): Ran {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): Ran {
  const r = spawnSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      IMAGESMITH_PIP_INDEX: index!.url,
      POETRY_CACHE_DIR: poetryCache,
      // No signing key in this workspace: the SBOM goes out as an OCI referrer.
      COSIGN_KEY: '',
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? 1, out: `${r.stdout}\n${r.stderr}` };
}

function ok(r: Ran, what: string): string {
  expect(r.code, `${what} failed:\n${r.out}`).toBe(0);
  return r.out;
}

const oras = (...args: string[]) =>
  execFileSync('oras', [...args, '--plain-http'], { encoding: 'utf8' });

/** Missing tools beyond engine and registry: skipped locally, an error in CI. */
function missingTools(): string {
  const missing: string[] = [];
  const poetry = poetrySkipReason();
  if (poetry) missing.push(poetry);
  const syft = findSyft();
  if (!syft.path) missing.push(syft.problem ?? 'syft is missing');
  for (const tool of ['oras', 'cosign'])
    if (spawnSync(tool, ['version'], { stdio: 'ignore' }).status !== 0)
      missing.push(`${tool} is not on PATH (\`bash tools/setup.sh --engine\` installs it)`);
  return missing.join('; ');
}

/** The platform image manifest digests of a pushed tag, and the attestation manifests' subjects. */
function pushedIndex(ref: string): { images: string[]; attested: string[] } {
  const doc = JSON.parse(oras('manifest', 'fetch', ref)) as {
    manifests: { digest: string; annotations?: Record<string, string> }[];
  };
  const att = (m: (typeof doc.manifests)[number]) =>
    m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest';
  return {
    images: doc.manifests.filter((m) => !att(m)).map((m) => m.digest),
    attested: doc.manifests
      .filter(att)
      .map((m) => m.annotations?.['vnd.docker.reference.digest'] ?? ''),
  };
}

beforeAll(async () => {
  const missing = missingTools();
  if (missing && process.env.CI === 'true')
    throw new Error(`CI=true and ${missing} (nothing may skip in CI)`);
  if (missing) {
    skip = missing;
    return;
  }
  index = await startIndex([
    { name: 'smithpkg', version: '1.0' },
    { name: 'childpkg', version: '1.0' },
    { name: 'extrapkg', version: '2.0' },
  ]);
  const got = await registryWorkspace(
    {
      sbomparent: `description: sbom parent\nprofile: cpu\npython: "3.11"\nversion: "1.0"\npython_packages: { smithpkg: "1.0" }\n`,
      // An extra install step the lock knows nothing about: what the audit is for.
      sbomchild: `description: sbom child\nprofile: cpu\nbase: sbomparent\nversion: "1.0"\npython_packages: { childpkg: "1.0" }\ncommands: ["/opt/venv/bin/pip install --no-cache-dir --index-url ${index.url} extrapkg==2.0"]\n`,
    },
    REPOSITORY,
  );
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = got.root;
  ok(cli('lock', 'sbomparent'), 'lock sbomparent');
  ok(cli('lock', 'sbomchild'), 'lock sbomchild');
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'locked');
  ok(cli('build', 'sbomchild'), 'build sbomchild');
}, 900_000);

afterAll(async () => {
  await index?.stop();
  if (root) {
    for (const image of ['sbomparent', 'sbomchild']) {
      for (const f of readdirSync(join(root, `images/${image}/.imagesmith`)).filter((n) =>
        n.startsWith('build-'),
      )) {
        const { tags } = JSON.parse(
          readFileSync(join(root, `images/${image}/.imagesmith`, f), 'utf8'),
        ) as { tags: string[] };
        spawnSync(DOCKER, ['rmi', ...tags], { stdio: 'ignore' });
      }
    }
    removeWorkspace(root);
  }
  rmSync(poetryCache, { recursive: true, force: true });
});

describe('provenance and SBOM on every pushed image', () => {
  it('push attaches BuildKit provenance with the git commit and an SPDX SBOM of Debian and Python packages', (ctx) => {
    need(ctx);
    const out = ok(cli('push', 'sbomchild'), 'push');
    const sha = git(root, 'rev-parse', 'HEAD').trim();
    for (const image of ['sbomparent', 'sbomchild']) {
      const ref = `${REPOSITORY}/${image}:1.0-r0`;
      const line = out.split('\n').find((l) => l.startsWith(`${image}: linux/amd64 `));
      expect(line, out).toMatch(
        /SLSA provenance \(BuildKit\); SPDX SBOM of \d+ packages attached as an OCI referrer/,
      );

      // Provenance, as buildx reads it back from the registry: max mode, the spec's commit.
      const prov = JSON.parse(
        execFileSync(
          DOCKER,
          ['buildx', 'imagetools', 'inspect', ref, '--format', '{{json .Provenance}}'],
          {
            encoding: 'utf8',
          },
        ),
      ) as { SLSA: { invocation: { parameters: { args: Record<string, string> } } } };
      expect(prov.SLSA.invocation.parameters.args['label:org.opencontainers.image.revision']).toBe(
        sha,
      );

      const { images, attested } = pushedIndex(ref);
      expect(images).toHaveLength(1);
      expect(attested).toEqual(images);

      // The SBOM: an SPDX referrer of the platform image manifest, listing its real packages.
      const subject = `${REPOSITORY}/${image}@${images[0]}`;
      const referrers = JSON.parse(
        oras('discover', '--artifact-type', 'application/spdx+json', '--format', 'json', subject),
      ) as { manifests?: { digest: string }[]; referrers?: { digest: string }[] };
      const found = referrers.manifests ?? referrers.referrers ?? [];
      expect(found.length, JSON.stringify(referrers)).toBeGreaterThan(0);
      const dir = mkdtempSync(join(tmpdir(), 'imagesmith-sbom-pull-'));
      try {
        oras('pull', '-o', dir, `${REPOSITORY}/${image}@${found[0]!.digest}`);
        const [file] = readdirSync(dir).filter((f) => f.endsWith('.json'));
        const spdx = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as {
          spdxVersion: string;
          packages: {
            name: string;
            versionInfo?: string;
            externalRefs?: { referenceLocator: string }[];
          }[];
        };
        expect(spdx.spdxVersion).toBe('SPDX-2.3');
        const purls = spdx.packages.flatMap((p) =>
          (p.externalRefs ?? []).map((r) => r.referenceLocator),
        );
        expect(purls.some((u) => u.startsWith('pkg:deb/debian/libc6@'))).toBe(true);
        expect(purls).toContain('pkg:pypi/smithpkg@1.0');
        if (image === 'sbomchild') expect(purls).toContain('pkg:pypi/extrapkg@2.0');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 600_000);

  it('validate passes a venv its locks pin, and fails one with a package installed outside the lock', (ctx) => {
    need(ctx);
    const parent = ok(cli('validate', 'sbomparent'), 'validate sbomparent');
    expect(parent).toMatch(/^sbomparent: SBOM audit passed$/m);
    const child = cli('validate', 'sbomchild');
    expect(child.code, child.out).toBe(1);
    const line = child.out.split('\n').find((l) => l.startsWith('sbomchild: SBOM audit FAILED'));
    expect(line, child.out).toContain('extrapkg 2.0 is installed in the venv');
    expect(line).toContain(
      'images/sbomchild/poetry.lock or images/sbomparent/poetry.lock does not pin it',
    );
    // Packages the locks pin are not named: the parent's and the child's own.
    expect(line).not.toMatch(/smithpkg|childpkg/);
  }, 600_000);

  it('with a signing key, push attests the SBOM with cosign and verify checks it on every platform', (ctx) => {
    need(ctx);
    const password = `pw-${RUN}`;
    mkdirSync(join(root, 'keys'), { recursive: true });
    execFileSync('cosign', ['generate-key-pair'], {
      cwd: join(root, 'keys'),
      env: { ...process.env, COSIGN_PASSWORD: password },
      stdio: 'ignore',
    });
    const config = JSON.parse(readFileSync(join(root, 'imagesmith.json'), 'utf8')) as object;
    writeFileSync(
      join(root, 'imagesmith.json'),
      JSON.stringify({
        ...config,
        signing: { key: 'keys/cosign.key', public_key: 'keys/cosign.pub' },
      }),
    );
    const env = { COSIGN_PASSWORD: password };
    // verify also wants a passing validate attestation: validate with the key attests on the digest.
    ok(cliWith(env, 'validate', 'sbomparent'), 'validate with a key');
    const out = ok(cliWith(env, 'push', 'sbomparent'), 'push with a key');
    expect(out).toMatch(
      /^sbomparent: linux\/amd64 sha256:\w+: SLSA provenance \(BuildKit\); SPDX SBOM of \d+ packages attached as a signed attestation \(signing\.key/m,
    );
    const verify = ok(cliWith(env, 'verify', 'sbomparent'), 'verify');
    const sbomLines = verify.split('\n').filter((l) => / SBOM: /.test(l));
    expect(sbomLines.length, verify).toBe(2); // the content-hash tag and the pinned tag
    for (const l of sbomLines)
      expect(l).toMatch(/SBOM: ok, SPDX SBOM attested for linux\/amd64 \(\d+ packages\)$/);
    expect(verify).toMatch(
      /sbomparent:\S+: validate attestation: ok, a passing validate attestation/,
    );
    expect(verify).not.toContain(password);
  }, 600_000);
});
