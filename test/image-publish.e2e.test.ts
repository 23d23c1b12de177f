/**
 * What follows a build, through the real Nx CLI and the real engine (fixture: see
 * support/pipeline-fixture.ts): push and pull back, registry login, the package manifest and the
 * development container. Its own workspace is locked and built first. Skips with the reason
 * outside CI when there is no engine; fails in CI.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY } from './support/engine-env';
import { usePipeline } from './support/pipeline-fixture';

const p = usePipeline('publish');

beforeAll(() => {
  if (!p.root) return; // skipped: the tests say why
  for (const target of ['lock', 'build']) {
    const r = p.nx(['run-many', '-t', target, '--projects=base,child', '--outputStyle=static']);
    if (r.code !== 0) throw new Error(`nx run-many -t ${target} failed:\n${r.out}`);
  }
}, 900_000);

describe('publishing built images through Nx and a real engine', () => {
  it('pushes every tag in one line per image and pulls the image back from the registry', (ctx) => {
    p.need(ctx);
    const r = p.nx(['run', 'child:push', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    // push depends on build: its line says the image is already built, then push's own line.
    expect(r.out.split('\n').filter((l) => l.startsWith('child: pushed'))).toEqual([
      expect.stringMatching(/^child: pushed \S+\/child \(tags ch-\w+, 1\.0-r0, 1\.0\)/),
    ]);
    const ref = `${p.repo}/child:1.0-r0`;
    p.docker('rmi', ref);
    p.docker('pull', ref);
    expect(p.docker('image', 'inspect', '--format', '{{.Config.User}}', ref).trim()).toBe(
      '1000:1000',
    );
  }, 300_000);

  it('logs in with the password from the environment or stdin, never echoing it', (ctx) => {
    p.need(ctx);
    const cli = join(p.root, 'tools/imagesmith/bin/imagesmith.cjs');
    // Its own credential stores: the machine's (~/.docker/config.json) must not keep the fixture's
    // password (test/support/login-guard.ts fails the run if it does).
    const stores = mkdtempSync(join(tmpdir(), 'imagesmith-login-'));
    const env = {
      ...process.env,
      DOCKER_CONFIG: join(stores, 'docker'),
      REGISTRY_AUTH_FILE: join(stores, 'auth.json'),
    };
    try {
      const viaEnv = execFileSync('node', [cli, 'login', '--username', 'ci'], {
        cwd: p.root,
        encoding: 'utf8',
        env: { ...env, IMAGESMITH_REGISTRY_PASSWORD: p.secret },
      });
      expect(viaEnv).toMatch(new RegExp(`logged in to ${REGISTRY.replace(/\./g, '\\.')} as ci`));
      const viaStdin = execFileSync(
        'node',
        [cli, 'login', '--username', 'ci', '--password-stdin'],
        { cwd: p.root, encoding: 'utf8', env, input: `${p.secret}\n` },
      );
      expect(viaStdin).toMatch(/logged in/);
      expect(`${viaEnv}${viaStdin}`).not.toContain(p.secret);
      // The login landed in the test's own store.
      const stored = ['docker/config.json', 'auth.json']
        .map((f) => join(stores, f))
        .filter((f) => existsSync(f));
      expect(stored.length, 'a credential store in the temp folder').toBeGreaterThan(0);
    } finally {
      rmSync(stores, { recursive: true, force: true });
    }
  }, 120_000);

  it('writes a package manifest of the built image', (ctx) => {
    p.need(ctx);
    const r = p.nx(['run', 'base:manifest', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    const manifest = readFileSync(join(p.root, 'images/base/.imagesmith/manifest.md'), 'utf8');
    expect(manifest).toMatch(/^\| six \| 1\.16\.0 \|$/m);
    expect(manifest).toMatch(/^\| bash \| /m);
  }, 300_000);

  it('starts a development container with the workspace mounted, and stops it', (ctx) => {
    p.need(ctx);
    chmodSync(p.root, 0o755); // mkdtemp makes it 0700; the container's non-root user must read it
    const started = p.nx(['run', 'base:start', '--outputStyle=static']);
    expect(started.code, started.out).toBe(0);
    const name = 'imagesmith-dev-base';
    expect(p.docker('exec', name, 'sh', '-c', 'cat /workspace/images/base/image.yaml')).toMatch(
      /description: cpu base/,
    );
    expect(p.docker('exec', name, 'sh', '-c', 'echo $ENVIRONMENT').trim()).toBe('development');
    const stopped = p.nx(['run', 'base:stop', '--outputStyle=static']);
    expect(stopped.code, stopped.out).toBe(0);
    expect(p.docker('ps', '-a', '--filter', `name=${name}`, '--format', '{{.Names}}').trim()).toBe(
      '',
    );
  }, 600_000);

  it('never shows the index credential in a log', (ctx) => {
    p.need(ctx);
    expect(p.logs.join('\n')).not.toContain(p.secret);
  });
});
