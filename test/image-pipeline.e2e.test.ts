/**
 * The whole pipeline through the real Nx CLI and the real engine: a fixture workspace with a cpu
 * base, its child and a cuda12 image (on stand-in bases from the local registry, reached through
 * the mirror rewrite) is locked against PyPI with real Poetry, generated, built, validated, pushed
 * and pulled back. Skips with the reason outside CI when there is no engine; fails in CI.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { engineBuildsDuring } from './support/engine-builds';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, NX_ENV, removeWorkspace, writeFile } from './support/temp-workspace';

const RUN = `${process.pid}-${Date.now()}`;
const REPO = `${REGISTRY}/e2e-${RUN}`;
const SECRET = `netrc-secret-${RUN}`;
const DOCKER = '/usr/bin/docker';

const IMAGES = {
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

let root = '';
let skip = '';
let netrc = '';
const logs: string[] = [];

function need(ctx: TestContext) {
  if (skip) ctx.skip(skip);
}

function nx(args: string[], env: Record<string, string> = {}): { code: number; out: string } {
  try {
    const out = execFileSync(join(__dirname, '..', 'node_modules', '.bin', 'nx'), args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...NX_ENV, IMAGESMITH_NETRC: netrc, ...env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    logs.push(out);
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout?: string; stderr?: string };
    const out = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
    logs.push(out);
    return { code: e.status, out };
  }
}

/** nx, and the builds the engine itself reports meanwhile (see support/engine-builds.ts). */
async function nxBuilds(args: string[]) {
  const { result, builds } = await engineBuildsDuring(REPO, () => nx(args), DOCKER);
  return {
    ...result,
    built: builds.map((b) => `${b.image}${b.stage === 'development' ? ' (dev)' : ''}`),
  };
}
const docker = (...args: string[]) =>
  execFileSync(DOCKER, args, { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
const meta = (image: string) =>
  JSON.parse(
    readFileSync(join(root, `images/${image}/.imagesmith/build-production.json`), 'utf8'),
  ) as { reference: string; tags: string[] };

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': JSON.stringify({ repository: REPO, mirrors: { registry: REGISTRY } }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-netrc-'));
  netrc = join(dir, 'netrc');
  writeFileSync(netrc, `machine private-index.invalid login ci password ${SECRET}\n`, {
    mode: 0o600,
  });
}, 60_000);

afterAll(() => {
  if (root) removeWorkspace(root);
});

describe('image pipeline through Nx and a real engine', () => {
  it('locks the Python packages with real Poetry, parents first', (ctx) => {
    need(ctx);
    const r = nx(['run-many', '-t', 'lock', '--projects=base,child,gpu', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    const lock = readFileSync(join(root, 'images/base/poetry.lock'), 'utf8');
    expect(lock).toMatch(/name = "six"\nversion = "1.16.0"/);
    expect(readFileSync(join(root, 'images/base/requirements.txt'), 'utf8')).toMatch(
      /^six==1\.16\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}/m,
    );
    // The child keeps its parent's version and adds its own package.
    const child = readFileSync(join(root, 'images/child/poetry.lock'), 'utf8');
    expect(child).toMatch(/name = "six"\nversion = "1.16.0"/);
    expect(child).toMatch(/name = "idna"\nversion = "3.7"/);
  }, 300_000);

  it('builds every image once, parents first, then nothing on the second run', async (ctx) => {
    need(ctx);
    const first = await nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(first.code, first.out).toBe(0);
    expect([...first.built].sort()).toEqual(['base', 'child', 'gpu']);
    expect(first.built.indexOf('base')).toBeLessThan(first.built.indexOf('child'));
    expect(meta('child').tags).toEqual([
      `${REPO}/child:${meta('child').reference.split(':').at(-1)}`,
      `${REPO}/child:1.0-r0`,
      `${REPO}/child:1.0`,
    ]);
    expect(meta('base').tags).toContain(`${REPO}/base:1.0-r3`);
    const second = await nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(second.code, second.out).toBe(0);
    expect(second.built).toEqual([]);
    expect(second.out).toMatch(/child: up to date/);
  }, 900_000);

  it('validates each image with its own and inherited checks, skipping hardware checks with the reason', (ctx) => {
    need(ctx);
    const r = nx(['run-many', '-t', 'validate', '--outputStyle=static'], {
      IMAGESMITH_HARDWARE: '',
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/PASS \[base\] import six \(1\.16\*\)/);
    expect(r.out).toMatch(/PASS \[base\] \/opt\/venv\/bin\/python exists/);
    // The child re-runs its parent's checks.
    expect(r.out).toMatch(
      /child: validating[\s\S]*PASS \[base\] env TEAM=ml[\s\S]*PASS \[child\] \/data exists/,
    );
    expect(r.out).toMatch(/PASS \[child\] import idna \(3\.7\*\)/);
    expect(r.out).toMatch(/SKIP \[base\] a GPU is visible: needs an NVIDIA GPU/);
    expect(r.out).toMatch(/PASS \[gpu\] python 3\.11 from apt/);
    expect(r.out).toMatch(/\d+ passed, 0 failed, \d+ skipped/);
    expect(readFileSync(join(root, 'dist/junit/child.xml'), 'utf8')).toMatch(
      /<testsuite name="validate child"/,
    );
  }, 300_000);

  it('pushes every tag and pulls the image back from the registry', (ctx) => {
    need(ctx);
    const r = nx(['run', 'child:push', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    const ref = `${REPO}/child:1.0-r0`;
    docker('rmi', ref);
    docker('pull', ref);
    expect(docker('image', 'inspect', '--format', '{{.Config.User}}', ref).trim()).toBe(
      '1000:1000',
    );
  }, 300_000);

  it('logs in with the password from the environment or stdin, never echoing it', (ctx) => {
    need(ctx);
    const cli = join(root, 'tools/imagesmith/bin/imagesmith.cjs');
    const viaEnv = execFileSync('node', [cli, 'login', '--username', 'ci'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, IMAGESMITH_REGISTRY_PASSWORD: SECRET },
    });
    expect(viaEnv).toMatch(new RegExp(`logged in to ${REGISTRY.replace(/\./g, '\\.')} as ci`));
    const viaStdin = execFileSync('node', [cli, 'login', '--username', 'ci', '--password-stdin'], {
      cwd: root,
      encoding: 'utf8',
      input: `${SECRET}\n`,
    });
    expect(viaStdin).toMatch(/logged in/);
    logs.push(viaEnv, viaStdin);
    expect(`${viaEnv}${viaStdin}`).not.toContain(SECRET);
  }, 120_000);

  it('writes a package manifest of the built image', (ctx) => {
    need(ctx);
    const r = nx(['run', 'base:manifest', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    const manifest = readFileSync(join(root, 'images/base/.imagesmith/manifest.md'), 'utf8');
    expect(manifest).toMatch(/^\| six \| 1\.16\.0 \|$/m);
    expect(manifest).toMatch(/^\| bash \| /m);
  }, 300_000);

  it('starts a development container with the workspace mounted, and stops it', (ctx) => {
    need(ctx);
    chmodSync(root, 0o755); // mkdtemp makes it 0700; the container's non-root user must read it
    const started = nx(['run', 'base:start', '--outputStyle=static']);
    expect(started.code, started.out).toBe(0);
    const name = 'imagesmith-dev-base';
    expect(docker('exec', name, 'sh', '-c', 'cat /workspace/images/base/image.yaml')).toMatch(
      /description: cpu base/,
    );
    expect(docker('exec', name, 'sh', '-c', 'echo $ENVIRONMENT').trim()).toBe('development');
    const stopped = nx(['run', 'base:stop', '--outputStyle=static']);
    expect(stopped.code, stopped.out).toBe(0);
    expect(docker('ps', '-a', '--filter', `name=${name}`, '--format', '{{.Names}}').trim()).toBe(
      '',
    );
  }, 600_000);

  it('rebuilds only the touched leaf, reusing its parent', async (ctx) => {
    need(ctx);
    writeFile(root, 'images/child/image.yaml', `${IMAGES.child}env: { TOUCHED: "1" }\n`);
    const r = await nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    expect(r.built).toEqual(['child']);
  }, 600_000);

  it('fails validate when a check fails and names the check', (ctx) => {
    need(ctx);
    writeFile(
      root,
      'images/child/image.yaml',
      `${IMAGES.child}env: { TOUCHED: "1" }\n`.replace(
        'files: { exist: [/data] }',
        'files: { exist: [/data], absent: [/opt/venv] }',
      ),
    );
    const r = nx(['run', 'child:validate', '--outputStyle=static']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAIL \[child\] \/opt\/venv is absent: \/opt\/venv exists in the image/);
    expect(r.out).toMatch(/1 failed/);
  }, 600_000);

  it('fails build with a clear message when the daemon is unreachable, recording nothing', (ctx) => {
    need(ctx);
    writeFile(root, 'images/gpu/image.yaml', `${IMAGES.gpu}env: { CHANGED: "yes" }\n`);
    rmSync(join(root, 'images/gpu/.imagesmith'), { recursive: true, force: true });
    const r = nx(['run', 'gpu:build', '--outputStyle=static'], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      IMAGESMITH_ENGINE: 'docker',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/dockerd|start/i);
    expect(existsSync(join(root, 'images/gpu/.imagesmith/build-production.json'))).toBe(false);
  }, 300_000);

  it('never puts the index credential in a layer, the history or a log', (ctx) => {
    need(ctx);
    const ref = meta('base').reference;
    expect(docker('history', '--no-trunc', ref)).not.toContain(SECRET);
    const saved = execFileSync(
      'sh',
      ['-c', `${DOCKER} save ${ref} | grep -c -a '${SECRET}' || true`],
      { encoding: 'utf8', maxBuffer: 1024 * 1024 },
    );
    expect(saved.trim()).toBe('0');
    expect(logs.join('\n')).not.toContain(SECRET);
  }, 300_000);
});
