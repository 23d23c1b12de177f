/**
 * End to end against the real engine (detectEngine: docker here, IMAGESMITH_ENGINE=buildah|podman
 * to try the others) and the local registry. Skips with a reason when either is missing, except
 * under CI=true. Needs the stand-in base: bash .ci/make-base-images.sh.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from '../../../test/support/engine-env';
import { createEngine } from './detect-engine';
import { EngineError } from './errors';
import { defaultExec, type ExecOptions } from './exec';
import { registryHasManifest } from './registry-client';
import type { Engine } from './types';

const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const RUN_ID = `${process.pid}-${Date.now()}`;
const SECRET = `imagesmith-e2e-secret-${RUN_ID}`;
const SECRET_ENV = 'IMAGESMITH_E2E_TOKEN';
const LOCAL = `localhost/imagesmith-e2e/engine:${RUN_ID}`;
const REMOTE = `${REGISTRY}/imagesmith-e2e/engine:${RUN_ID}`;

let engine: Engine | undefined;
let skipReason = '';
let dir = '';
let pushedDigest: string | undefined;
const output: string[] = [];

function need(ctx: TestContext): Engine {
  if (!engine) ctx.skip(skipReason);
  return engine!;
}

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skipReason = got.skip;
    return;
  }
  engine = got.engine;
  dir = mkdtempSync(join(tmpdir(), 'imagesmith-engine-e2e-'));
  writeFileSync(
    join(dir, 'Dockerfile'),
    [
      `FROM ${BASE} AS base`,
      'ARG RUN_ID',
      'ARG GREETING=hi',
      'RUN --mount=type=secret,id=tok test -s /run/secrets/tok && echo "secret present for $RUN_ID"',
      'RUN echo "$GREETING" > /greeting && useradd -u 1234 -m app',
      'ENV APP_MODE=test',
      'LABEL org.example.e2e=yes',
      'USER app',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'Dockerfile.fail'),
    [
      `FROM ${BASE} AS builder`,
      'RUN echo one',
      `RUN echo "about to fail ${RUN_ID}" && ls /nonexistent-${RUN_ID}`,
      'FROM builder',
      'RUN echo never',
      '',
    ].join('\n'),
  );
  process.env[SECRET_ENV] = SECRET;
});

afterAll(async () => {
  delete process.env[SECRET_ENV];
  if (engine) {
    await engine.remove(LOCAL).catch(() => undefined);
    await engine.remove(REMOTE).catch(() => undefined);
    if (pushedDigest) {
      await fetch(`http://${REGISTRY}/v2/imagesmith-e2e/engine/manifests/${pushedDigest}`, {
        method: 'DELETE',
      }).catch(() => undefined);
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('engine (real)', () => {
  it('builds with a BuildKit secret from an env var, streaming output', async (ctx) => {
    const e = need(ctx);
    const { imageId } = await e.build({
      contextDir: dir,
      dockerfile: join(dir, 'Dockerfile'),
      tags: [LOCAL],
      buildArgs: { RUN_ID, GREETING: 'hello' },
      labels: { 'org.example.run': RUN_ID },
      secrets: [{ id: 'tok', env: SECRET_ENV }],
      onOutput: (line) => output.push(line),
    });
    expect(imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(output.join('\n')).toContain(`secret present for ${RUN_ID}`);
    expect(output.join('\n')).not.toContain(SECRET);
  });

  it('tags and pushes to the local registry', async (ctx) => {
    const e = need(ctx);
    await e.tag(LOCAL, REMOTE);
    const { digest } = await e.push(REMOTE);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    pushedDigest = digest;
    expect(await registryHasManifest(REMOTE)).toBe(true);
    expect(await registryHasManifest(`${REGISTRY}/imagesmith-e2e/engine:absent-${RUN_ID}`)).toBe(
      false,
    );
  });

  it('removes locally, pulls back and inspects', async (ctx) => {
    const e = need(ctx);
    await e.remove(LOCAL);
    await e.remove(REMOTE);
    await e.remove(REMOTE); // idempotent
    expect(await e.inspect(REMOTE)).toBeNull();
    await e.pull(REMOTE);
    const info = await e.inspect(REMOTE);
    expect(info).not.toBeNull();
    expect(info!.user).toBe('app');
    expect(info!.env.APP_MODE).toBe('test');
    expect(info!.env.PATH).toContain('/usr/bin');
    expect(info!.labels).toMatchObject({ 'org.example.e2e': 'yes', 'org.example.run': RUN_ID });
    expect(info!.sizeBytes).toBeGreaterThan(10_000_000);
    expect(info!.repoTags.some((t) => t.startsWith(REMOTE))).toBe(true);
    if (pushedDigest)
      expect(info!.repoDigests).toContain(`${REGISTRY}/imagesmith-e2e/engine@${pushedDigest}`);
    expect(JSON.stringify(info)).not.toContain(SECRET);
  });

  it('runs a command without network, returning a non-zero exit', async (ctx) => {
    const e = need(ctx);
    const result = await e.run({
      image: REMOTE,
      command: [
        'sh',
        '-c',
        'id -u; cat /greeting; echo "mode=$APP_MODE extra=$EXTRA"; ls /sys/class/net; exit 7',
      ],
      env: { EXTRA: 'x1' },
    });
    expect(result.exitCode).toBe(7);
    const lines = result.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['1234', 'hello', 'mode=test extra=x1']);
    expect(lines.slice(3).filter(Boolean)).toEqual(['lo']); // --network none: loopback only
    const asRoot = await e.run({
      image: REMOTE,
      command: ['-c', 'id -u'],
      user: '0',
      entrypoint: '/bin/sh',
    });
    expect(asRoot).toMatchObject({ exitCode: 0, stdout: '0' });
  });

  it('runs a named container with a read-only mount and workdir, execs in it within a time limit, removes it', async (ctx) => {
    const e = need(ctx);
    const name = `imagesmith-e2e-c-${RUN_ID}`;
    writeFileSync(join(dir, 'mounted.txt'), `mounted ${RUN_ID}\n`);
    chmodSync(dir, 0o755); // mkdtemp makes it 0700; the image's user 1234 reads it
    const c = await e.startContainer({
      name,
      image: REMOTE,
      entrypoint: 'sleep',
      command: ['120'],
      mounts: [{ source: dir, target: '/w', readonly: true }],
      workdir: '/w',
      env: { EXTRA: 'x2' },
    });
    try {
      const r = await e.execContainer(c, {
        command: [
          'sh',
          '-c',
          'cat mounted.txt; echo "$EXTRA"; touch /w/x 2>/dev/null || echo ro; exit 4',
        ],
      });
      expect(r).toMatchObject({ exitCode: 4, stdout: `mounted ${RUN_ID}\nx2\nro` });
      const started = Date.now();
      const slow = await e.execContainer(c, { command: ['sleep', '60'], timeoutMs: 1500 });
      expect(slow.timedOut).toBe(true);
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      expect(await e.removeContainer(name)).toBe(true);
    }
    expect(await e.removeContainer(name)).toBe(false);
  });

  it('keeps the secret out of the image history', async (ctx) => {
    const e = need(ctx);
    const history = await e.history(REMOTE);
    expect(history.length).toBeGreaterThanOrEqual(3);
    expect(history.some((l) => l.includes('useradd'))).toBe(true);
    expect(history.join('\n')).not.toContain(SECRET);
  });

  it('logs in with the password on stdin, never in argv', async (ctx) => {
    const e = need(ctx);
    const password = `pw-${RUN_ID}`;
    const seen: { args: readonly string[]; options?: ExecOptions }[] = [];
    const authDir = mkdtempSync(join(tmpdir(), 'imagesmith-auth-'));
    try {
      const spy = createEngine(e.name, {
        binary: e.binary,
        env: {
          ...process.env,
          DOCKER_CONFIG: authDir,
          REGISTRY_AUTH_FILE: join(authDir, 'auth.json'),
        },
        exec: (file, args, options) => {
          seen.push({ args, options });
          return defaultExec(file, args, options);
        },
      });
      await spy.login(REGISTRY, 'e2e', password); // the test registry has no auth: any login is accepted
      expect(seen).toHaveLength(1);
      expect(seen[0]!.args.join(' ')).not.toContain(password);
      expect(seen[0]!.args).toContain('--password-stdin');
      expect(seen[0]!.options?.input).toBe(password);
      const stored = readFileSync(
        join(authDir, e.name === 'docker' ? 'config.json' : 'auth.json'),
        'utf8',
      );
      expect(stored).toContain(Buffer.from(`e2e:${password}`).toString('base64'));
    } finally {
      rmSync(authDir, { recursive: true, force: true });
    }
  });

  it('names the failing RUN step in the EngineError', async (ctx) => {
    const e = need(ctx);
    const error = await e
      .build({ contextDir: dir, dockerfile: join(dir, 'Dockerfile.fail'), tags: [`${LOCAL}-fail`] })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EngineError);
    const message = (error as EngineError).message;
    expect(message).toContain(`RUN echo "about to fail ${RUN_ID}" && ls /nonexistent-${RUN_ID}`);
    expect(message).toMatch(/failed at step/);
    expect(message).toMatch(/nonexistent-.*No such file or directory/);
    expect(message).toMatch(/What to do:/);
    expect((error as EngineError).engine).toBe(e.name);
  });
});
