/**
 * A credential in IMAGESMITH_PIP_INDEX (issue 16) reaches pip only as the netrc BuildKit secret:
 * the real CLI locks against a local index, then builds with real docker against the same wheels
 * behind Basic auth (401 without the credential, so the build passes only if pip got it). While
 * it builds, every process's argv is read from /proc; afterwards the image's history and config.
 * The password appears in none of them, nor in the CLI's output. Needs Poetry, docker and the
 * local registry (skips with the reason outside CI; fails in CI).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';
import { startAuthIndex, type AuthIndex } from './support/auth-index';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { startIndex, type PypiIndex } from './support/pypi-index';

const DOCKER = '/usr/bin/docker';
const PASSWORD = `idx-pw-${process.pid}-${Date.now()}`;
const IMAGE = `description: index credentials fixture
profile: cpu
python: "3.11"
version: "1.0"
python_packages: { smithpkg: "1.0" }
`;

const hasPoetry = spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status === 0;
let skip = '';
let index: PypiIndex | undefined;
let auth: AuthIndex | undefined;
let root = '';

function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    const child = spawn('node', ['tools/imagesmith/bin/imagesmith.cjs', ...args], {
      cwd: root,
      env: { ...process.env, IMAGESMITH_ENGINE: 'docker', NO_COLOR: '1', ...env },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** The argv of every process on the machine now (what `ps` shows). */
function allArgv(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) return void (skip = got.skip);
  if (!hasPoetry) {
    if (process.env.CI === 'true') throw new Error('CI=true and poetry is not on PATH');
    return void (skip = "poetry is not on PATH (pip install 'poetry>=2,<3')");
  }
  index = await startIndex([{ name: 'smithpkg', version: '1.0' }]);
  auth = await startAuthIndex(index.dir, 'ci', PASSWORD);
  root = createTempWorkspace(
    { cred: IMAGE },
    {
      'imagesmith.json': JSON.stringify({
        repository: `${REGISTRY}/e2e-cred-${process.pid}`,
        mirrors: { registry: REGISTRY },
      }),
    },
  );
  // Locked against the open index: the lock names hashes, not the index.
  const lock = await cli(['lock', 'cred'], {
    IMAGESMITH_PIP_INDEX: index.url,
    POETRY_CACHE_DIR: join(root, '.poetry-cache'),
  });
  if (lock.code !== 0) throw new Error(`lock failed:\n${lock.out}`);
}, 600_000);

afterAll(async () => {
  await auth?.stop();
  await index?.stop();
  if (root) removeWorkspace(root);
});

const need = (ctx: TestContext) => skip && ctx.skip(skip);

describe('a credential in IMAGESMITH_PIP_INDEX', () => {
  it('reaches pip (the index answers 401 without it) but no argv, history, image config or output', async (ctx) => {
    need(ctx);
    const credentialed = auth!.url.replace('http://', `http://ci:${PASSWORD}@`);
    const seen = new Set<string>();
    const watch = setInterval(() => {
      for (const a of allArgv()) if (/buildx|pip/.test(a)) seen.add(a);
    }, 25);
    const build = await cli(['build', 'cred'], { IMAGESMITH_PIP_INDEX: credentialed });
    clearInterval(watch);
    expect(build.code, build.out).toBe(0);
    expect(build.out).not.toContain(PASSWORD);
    // pip asked the index with the credential (it refuses anything else with 401).
    expect(auth!.log()).toMatch(/"GET \/simple\/smithpkg\/ HTTP\/1\.1" 200/);
    expect(auth!.log()).toMatch(/"GET \/files\/smithpkg-1\.0-\S+\.whl HTTP\/1\.1" 200/);

    const buildx = [...seen].filter((a) => / buildx build /.test(a));
    expect(buildx.length, [...seen].join('\n')).toBeGreaterThan(0);
    expect(buildx[0]).toContain(`--build-arg PIP_INDEX_URL=${auth!.url}`);
    expect(buildx[0]).toMatch(/--secret id=netrc,env=IMAGESMITH_SECRET_\d+/);
    expect([...seen].filter((a) => a.includes(PASSWORD))).toEqual([]);

    const meta = JSON.parse(
      readFileSync(join(root, 'images/cred/.imagesmith/build-production.json'), 'utf8'),
    ) as { reference: string; tags: string[] };
    const history = spawnSync(DOCKER, ['history', '--no-trunc', meta.reference], {
      encoding: 'utf8',
    });
    expect(history.status, history.stderr).toBe(0);
    const config = spawnSync(DOCKER, ['image', 'inspect', meta.reference], { encoding: 'utf8' });
    expect(config.status, config.stderr).toBe(0);
    expect(`${history.stdout}${config.stdout}`).not.toContain(PASSWORD);
    // The netrc was mounted only while pip ran: no layer holds it.
    const files = spawnSync(
      DOCKER,
      [
        'run',
        '--rm',
        '--network',
        'none',
        '--user',
        '0',
        '--entrypoint',
        'sh',
        meta.reference,
        '-c',
        'cat /root/.netrc 2>/dev/null; grep -rl ci: /root 2>/dev/null; true',
      ],
      { encoding: 'utf8' },
    );
    expect(files.stdout).not.toContain(PASSWORD);
    spawnSync(DOCKER, ['rmi', '-f', ...meta.tags], { stdio: 'ignore' });
  }, 600_000);
});
