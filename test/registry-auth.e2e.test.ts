/**
 * Content-hash lookups ask the registry with the engine's own login and never turn a refusal or a
 * missing answer into "absent" or "up to date" (issue #11 item 4). Drives the real CLI, the real
 * docker engine and a real password-protected registry (Debian's docker-registry, htpasswd auth)
 * on its own 127.0.0.1 port; fake registries (node http servers) answer 500, 401, or never.
 * Skips with the reason outside CI when docker, the local registry, htpasswd or docker-registry
 * is missing; in CI (CI=true) it fails instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  freePort,
  startAuthRegistry,
  startFakeRegistry,
  type AuthRegistry,
} from './support/auth-registry';
import { engineBuildsDuring } from './support/engine-builds';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, removeWorkspace } from './support/temp-workspace';

const DOCKER = '/usr/bin/docker';
const RUN = `h3auth-${process.pid}-${Date.now()}`;
const USER = 'e2e-user';
const PASSWORD = `pw-${RUN}`;
const IMAGE = 'h3auth';
const SPEC = `description: registry auth e2e
profile: cpu
python: "3.11"
version: "1.0"
tests:
  commands:
    - name: python runs
      run: python -c "print(6*7)"
      output: "^42$"
`;

let skip = '';
let dir = '';
let root = '';
let registry: AuthRegistry | undefined;
let dockerConfig = '';
const logs: string[] = [];

function need(ctx: TestContext): void {
  if (skip) ctx.skip(skip);
}

function missingTool(): string | undefined {
  for (const tool of ['htpasswd', 'docker-registry']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (bash .ci/setup-engine.sh installs apache2-utils; .ci/setup-registry.sh docker-registry)`;
    }
  }
  return undefined;
}

/** The CLI, asynchronously: the fake registries answer from this process meanwhile. */
async function cli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number; out: string }> {
  const child = promisify(execFile)(
    'node',
    [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DOCKER_CONFIG: dockerConfig, IMAGESMITH_ENGINE: 'docker', ...env },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (input !== undefined) child.child.stdin!.end(input);
  try {
    const { stdout, stderr } = await child;
    logs.push(stdout, stderr);
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout?: string; stderr?: string };
    logs.push(e.stdout ?? '', e.stderr ?? '');
    return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const docker = (...args: string[]) => execFileSync(DOCKER, args, { encoding: 'utf8' });

/** The content-hash reference of the image under `repository` (what build records). */
function contentRef(): string {
  const meta = JSON.parse(
    readFileSync(join(root, `images/${IMAGE}/.imagesmith/build-production.json`), 'utf8'),
  ) as { reference: string };
  return meta.reference;
}

/** Every local tag under a repository prefix, removed. */
function removeLocal(repository: string): void {
  const refs = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter((r) => r.startsWith(`${repository}/`));
  if (refs.length) docker('rmi', ...refs);
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  const missing = 'skip' in got ? got.skip : missingTool();
  if (missing) {
    if (/^(1|true|yes)$/i.test(process.env.CI ?? ''))
      throw new Error(`CI=true and ${missing} (nothing may skip in CI)`);
    skip = missing;
    return;
  }
  dir = mkdtempSync(join(tmpdir(), 'imagesmith-h3auth-'));
  dockerConfig = join(dir, 'docker-config');
  registry = await startAuthRegistry(dir, USER, PASSWORD);
  root = createTempWorkspace(
    { [IMAGE]: SPEC },
    {
      'imagesmith.json': JSON.stringify({
        repository: `${registry.addr}/${RUN}`,
        mirrors: { registry: REGISTRY },
      }),
    },
  );
}, 120_000);

afterAll(() => {
  if (registry) {
    removeLocal(`${registry.addr}/${RUN}`);
    registry.stop();
  }
  if (root) removeWorkspace(root);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('lookups on a password-protected registry', () => {
  it('without a login, build stops: the registry answered 401 and no credentials are configured', async (ctx) => {
    need(ctx);
    const repo = `${registry!.addr}/${RUN}`;
    const { result, builds } = await engineBuildsDuring(repo, () => cli(['build', IMAGE]));
    expect(result.code, result.out).toBe(1);
    expect(result.out).toMatch(
      new RegExp(
        `registry ${registry!.addr} answered 401 for ${repo}/${IMAGE}:ch-\\w+ and no credentials for ${registry!.addr} are configured \\(searched ${dockerConfig}/config.json\\): run \`imagesmith login ${registry!.addr}\``,
      ),
    );
    expect(builds).toEqual([]);
  }, 120_000);

  it('after `imagesmith login`, a build the registry holds runs no engine build and validate pulls it', async (ctx) => {
    need(ctx);
    const repo = `${registry!.addr}/${RUN}`;
    const login = await cli(
      ['login', registry!.addr, '--username', USER, '--password-stdin'],
      {},
      `${PASSWORD}\n`,
    );
    expect(login.code, login.out).toBe(0);
    expect(login.out).toContain(`logged in to ${registry!.addr} as ${USER}`);
    expect(
      Object.keys(JSON.parse(readFileSync(join(dockerConfig, 'config.json'), 'utf8')).auths),
    ).toContain(registry!.addr);

    const first = await engineBuildsDuring(repo, () => cli(['build', IMAGE]));
    expect(first.result.code, first.result.out).toBe(0);
    expect(first.builds.map((b) => b.image)).toEqual([IMAGE]);
    const pushed = await cli(['push', IMAGE]);
    expect(pushed.code, pushed.out).toBe(0);

    removeLocal(repo);
    const again = await engineBuildsDuring(repo, () => cli(['build', IMAGE]));
    expect(again.result.code, again.result.out).toBe(0);
    expect(again.builds).toEqual([]);
    expect(again.result.out).not.toMatch(/rebuilding/);
    expect(
      JSON.parse(
        readFileSync(join(root, `images/${IMAGE}/.imagesmith/build-production.json`), 'utf8'),
      ).result,
    ).toBe('present-registry');

    const validated = await cli(['validate', IMAGE]);
    expect(validated.code, validated.out).toBe(0);
    expect(validated.out).toMatch(/0 failed/);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', contentRef()).trim()).toMatch(
      /^sha256:/,
    );
    expect(logs.join('\n')).not.toContain(PASSWORD);
  }, 600_000);
});

describe('lookups on registries that cannot answer', () => {
  /** The same workspace under another registry's repository: its content tag is not local. */
  const under = (addr: string, extra: Record<string, string> = {}) => ({
    IMAGESMITH_REPOSITORY: `${addr}/${RUN}`,
    ...extra,
  });

  it('a 500: build says it rebuilds and why, validate and push of a non-local image fail naming the answer', async (ctx) => {
    need(ctx);
    const fake = await startFakeRegistry('status-500');
    try {
      const repo = `${fake.addr}/${RUN}`;
      const { result, builds } = await engineBuildsDuring(repo, () =>
        cli(['build', IMAGE], under(fake.addr)),
      );
      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(
        new RegExp(
          `^rebuilding ${IMAGE}: the registry ${fake.addr} answered 500 for ${repo}/${IMAGE}:ch-\\w+$`,
          'm',
        ),
      );
      expect(builds.map((b) => b.image)).toEqual([IMAGE]);
      expect(fake.seen[0]).toMatch(new RegExp(`^HEAD /v2/${RUN}/${IMAGE}/manifests/ch-`));

      removeLocal(repo);
      for (const command of ['validate', 'push']) {
        const r = await cli([command, IMAGE], under(fake.addr));
        expect(r.code, r.out).toBe(1);
        expect(r.out).toMatch(
          new RegExp(
            `${IMAGE}: ${repo}/${IMAGE}:ch-\\w+ is not in the local engine and the registry ${fake.addr} answered 500 for`,
          ),
        );
        expect(r.out).not.toMatch(/is not built/);
      }
    } finally {
      await fake.close();
    }
  }, 300_000);

  it('a 401 with no credentials for that registry stops the build and says to log in', async (ctx) => {
    need(ctx);
    const fake = await startFakeRegistry('status-401');
    try {
      const repo = `${fake.addr}/${RUN}`;
      const { result, builds } = await engineBuildsDuring(repo, () =>
        cli(['build', IMAGE], under(fake.addr)),
      );
      expect(result.code, result.out).toBe(1);
      expect(result.out).toMatch(
        new RegExp(
          `registry ${fake.addr} answered 401 for ${repo}/${IMAGE}:ch-\\w+ and no credentials for ${fake.addr} are configured`,
        ),
      );
      expect(result.out).toContain(`imagesmith login ${fake.addr}`);
      expect(builds).toEqual([]);
    } finally {
      await fake.close();
    }
  }, 120_000);

  it('a registry that never answers times out (IMAGESMITH_REGISTRY_TIMEOUT) and the build says so', async (ctx) => {
    need(ctx);
    const fake = await startFakeRegistry('hang');
    try {
      const repo = `${fake.addr}/${RUN}`;
      const env = under(fake.addr, { IMAGESMITH_REGISTRY_TIMEOUT: '1' });
      const started = Date.now();
      const { result } = await engineBuildsDuring(repo, () => cli(['build', IMAGE], env));
      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(
        new RegExp(
          `^rebuilding ${IMAGE}: the registry ${fake.addr} could not be reached for ${repo}/${IMAGE}:ch-\\w+ \\(no answer within 1 s\\)$`,
          'm',
        ),
      );
      expect(Date.now() - started).toBeLessThan(60_000);
      removeLocal(repo);
      const validated = await cli(['validate', IMAGE], env);
      expect(validated.code, validated.out).toBe(1);
      expect(validated.out).toMatch(
        /could not be reached for .* \(no answer within 1 s\), so it cannot be pulled/,
      );
    } finally {
      await fake.close();
    }
  }, 300_000);

  it('a stopped registry: "could not be reached (connection refused)", and the build goes on', async (ctx) => {
    need(ctx);
    const addr = `127.0.0.1:${await freePort()}`;
    const repo = `${addr}/${RUN}`;
    const { result, builds } = await engineBuildsDuring(repo, () =>
      cli(['build', IMAGE], under(addr)),
    );
    expect(result.code, result.out).toBe(0);
    expect(result.out).toMatch(
      new RegExp(
        `^rebuilding ${IMAGE}: the registry ${addr} could not be reached for ${repo}/${IMAGE}:ch-\\w+ \\(connection refused\\)$`,
        'm',
      ),
    );
    expect(builds.map((b) => b.image)).toEqual([IMAGE]);
    removeLocal(repo);
    expect(existsSync(dockerConfig)).toBe(true);
  }, 300_000);
});
