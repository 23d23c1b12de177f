/**
 * The fixture both engine pipeline files use: a cpu base with packages locked from PyPI, its child
 * and a cuda12 image, on stand-in bases from the local registry (reached through the mirror
 * rewrite), driven through the real Nx CLI. Each file gets its own workspace and repository.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import { engineBuildsDuring } from '../../tools/testkit/engine-builds';
import { REGISTRY } from './engine-env';
import { registryWorkspace } from './registry-workspace';
import { NX_ENV, removeWorkspace } from '../../tools/testkit/temp-workspace';

export const DOCKER = '/usr/bin/docker';

export const IMAGES = {
  base: `description: cpu base
profile: cpu
python: "3.11"
version: "1.0"
revision: 3
python_packages: { six: "1.16.0" }
env: { TEAM: ml }
tests:
  imports: { six: "1.16" }
  env: { TEAM: ml }
  files: { exist: [/opt/venv/bin/python] }
  max_size_mb: 2000
  commands:
    - name: python is the venv's
      run: python -c "import sys; print(sys.prefix)"
      output: ^/opt/venv$
    - name: a GPU is visible
      run: nvidia-smi -L
      requires: gpu
`,
  child: `description: child of base
profile: cpu
base: base
python_packages: { idna: "3.7" }
commands: ["mkdir -p /data && chmod 0777 /data"]
tests:
  files: { exist: [/data] }
  imports: { idna: "3.7" }
`,
  gpu: `description: cuda image
profile: cuda12
profile_options: { cuda: "12.1" }
python: "3.11"
tests:
  commands:
    - name: python 3.11 from apt
      run: python --version
      output: "Python 3\\\\.11"
`,
};

export interface Pipeline {
  root: string;
  repo: string;
  /** The index credential in the netrc secret: it must appear in no layer, history or log. */
  secret: string;
  /** Every output the tests saw, for the credential check. */
  logs: string[];
  need(ctx: TestContext): void;
  nx(args: string[], env?: Record<string, string>): { code: number; out: string };
  /** nx, and the builds the engine itself reports meanwhile (see engine-builds.ts). */
  nxBuilds(args: string[]): Promise<{ code: number; out: string; built: string[] }>;
  docker(...args: string[]): string;
  /** The build record of an image's production stage. */
  meta(image: string): { reference: string; tags: string[] };
}

/** Registers beforeAll/afterAll for a fresh fixture workspace; the fields fill in at beforeAll. */
export function usePipeline(name: string): Pipeline {
  const run = `${name}-${process.pid}-${Date.now()}`;
  let skip = '';
  let netrc = '';
  const p: Pipeline = {
    root: '',
    repo: `${REGISTRY}/e2e-${run}`,
    secret: `netrc-secret-${run}`,
    logs: [],
    need: (ctx) => {
      if (skip) ctx.skip(skip);
    },
    nx: (args, env = {}) => {
      try {
        const out = execFileSync(join(__dirname, '..', '..', 'node_modules', '.bin', 'nx'), args, {
          cwd: p.root,
          encoding: 'utf8',
          env: { ...NX_ENV, IMAGESMITH_NETRC: netrc, ...env } as NodeJS.ProcessEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 64 * 1024 * 1024,
        });
        p.logs.push(out);
        return { code: 0, out };
      } catch (error) {
        const e = error as { status: number; stdout?: string; stderr?: string };
        const out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
        p.logs.push(out);
        return { code: e.status, out };
      }
    },
    nxBuilds: async (args) => {
      const { result, builds } = await engineBuildsDuring(p.repo, () => p.nx(args), DOCKER);
      const built = builds.map((b) => `${b.image}${b.stage === 'development' ? ' (dev)' : ''}`);
      return { ...result, built };
    },
    docker: (...args) =>
      execFileSync(DOCKER, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }),
    meta: (image) =>
      JSON.parse(
        readFileSync(join(p.root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
      ) as { reference: string; tags: string[] },
  };
  beforeAll(async () => {
    const got = await registryWorkspace(IMAGES, p.repo);
    if ('skip' in got) {
      skip = got.skip;
      return;
    }
    p.root = got.root;
    netrc = join(mkdtempSync(join(tmpdir(), 'imagesmith-netrc-')), 'netrc');
    writeFileSync(netrc, `machine private-index.invalid login ci password ${p.secret}\n`, {
      mode: 0o600,
    });
  }, 60_000);
  afterAll(() => {
    if (p.root) removeWorkspace(p.root);
    // The netrc holds the fixture's secret: never leave it behind.
    if (netrc) rmSync(dirname(netrc), { recursive: true, force: true });
  });
  return p;
}

/** The lines imagesmith printed for `image` (`image: ...`), out of Nx's output around them. */
export function linesFor(out: string, image: string): string[] {
  return out.split('\n').filter((l) => l.startsWith(`${image}: `));
}
