import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArgv, hostPlatform, validateBuildRequest } from './build-argv';
import { createEngine } from './detect-engine';
import { EngineError } from './errors';
import { fakeExec } from '../test-support/fake-exec';
import type { BuildRequest } from './types';

const SECRET_VALUE = 's3cr3t-token-value';
const ctx = { iidfile: '/tmp/x/iid', hostPlatform: 'linux/amd64' };
const base: BuildRequest = {
  contextDir: '/ctx',
  dockerfile: '/ctx/Dockerfile',
  tags: ['127.0.0.1:5000/app:1', '127.0.0.1:5000/app:latest'],
};

describe('hostPlatform', () => {
  it('maps this machine to an OCI platform', () => {
    expect(hostPlatform('x64')).toBe('linux/amd64');
    expect(hostPlatform('arm64')).toBe('linux/arm64');
  });
});

describe('buildArgv (buildah, podman)', () => {
  it('uses chroot isolation and layers, no inline cache', () => {
    const argv = buildArgv('buildah', { ...base, cacheFrom: ['x'] }, ctx);
    expect(argv.slice(0, 4)).toEqual(['bud', '--isolation', 'chroot', '--layers']);
    expect(argv).not.toContain('--cache-from');
    expect(argv.join(' ')).not.toContain('BUILDKIT_INLINE_CACHE');
    expect(buildArgv('podman', base, ctx)[0]).toBe('build');
  });

  it('passes sourceDateEpoch as --timestamp to buildah and podman', () => {
    const req = { ...base, sourceDateEpoch: 1700000000 };
    for (const engine of ['buildah', 'podman'] as const) {
      const argv = buildArgv(engine, req, ctx);
      expect(argv[argv.indexOf('--timestamp') + 1]).toBe('1700000000');
      expect(argv).toContain('SOURCE_DATE_EPOCH=1700000000');
    }
    expect(buildArgv('buildah', base, ctx)).not.toContain('--timestamp');
    expect(() => validateBuildRequest({ ...base, sourceDateEpoch: -1 }, 'buildah')).toThrow(
      /sourceDateEpoch -1 is not a whole number of seconds/,
    );
  });

  it('builds several platforms into a manifest list', () => {
    const argv = buildArgv(
      'buildah',
      { ...base, tags: ['r/app:1'], platforms: ['linux/amd64', 'linux/arm64'] },
      { ...ctx, manifest: 'r/app:1' },
    );
    expect(argv.join(' ')).toContain('--platform linux/amd64,linux/arm64 --manifest r/app:1');
    expect(argv).not.toContain('-t');
    expect(() =>
      buildArgv('podman', { ...base, platforms: ['linux/amd64', 'linux/arm64'] }, ctx),
    ).toThrow(/needs a manifest list name/);
  });
});

describe('engine.build with secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'engine-argv-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM 127.0.0.1:5000/library/python:3.11-slim-bookworm\n');
  const req: BuildRequest = {
    contextDir: dir,
    dockerfile: join(dir, 'Dockerfile'),
    tags: ['t:1'],
    secrets: [{ id: 'tok', env: 'TOK' }],
  };
  const env = { PATH: '/usr/bin', TOK: SECRET_VALUE };

  it('docker: passes id=..,env=.. and the value only through the environment', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('docker', {
      binary: '/usr/bin/docker',
      exec,
      env,
      hostPlatform: 'linux/amd64',
    });
    expect(await engine.build(req)).toEqual({ imageId: 'sha256:feed' });
    const { args, options } = calls.find((c) => c.args[1] === 'build')!;
    expect(args.slice(0, 2)).toEqual(['buildx', 'build']);
    expect(args).toContain('id=tok,env=TOK');
    expect(args.join('\0')).not.toContain(SECRET_VALUE);
    expect(options.env?.TOK).toBe(SECRET_VALUE);
  });

  it('buildah: writes env secrets to a private file (src=), never to argv', async () => {
    let secretFile = '';
    let fileContent = '';
    let regConf = '';
    const { exec, calls } = fakeExec(({ args, options }) => {
      const s = args[args.indexOf('--secret') + 1] ?? '';
      secretFile = s.replace(/^id=tok,src=/, '');
      fileContent = readFileSync(secretFile, 'utf8');
      regConf = readFileSync(options.env?.CONTAINERS_REGISTRIES_CONF ?? '', 'utf8');
      return undefined;
    });
    const engine = createEngine('buildah', { binary: '/usr/bin/buildah', exec, env });
    await engine.build(req);
    expect(calls[0]!.args.slice(0, 3)).toEqual(['--storage-driver', 'overlay', 'bud']);
    expect(calls[0]!.args.join('\0')).not.toContain(SECRET_VALUE);
    expect(fileContent).toBe(SECRET_VALUE);
    expect(regConf).toMatch(/location = "127.0.0.1:5000"\s+insecure = true/);
    expect(() => readFileSync(secretFile)).toThrow(); // removed after the build
  });

  it('refuses a build whose build args carry a secret value', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('docker', { binary: 'docker', exec, env });
    await expect(engine.build({ ...req, buildArgs: { TOKEN: SECRET_VALUE } })).rejects.toThrow(
      /never as a build arg/,
    );
    expect(calls.filter((c) => c.args[1] === 'build')).toHaveLength(0);
  });

  it('refuses a secret whose variable is unset, and malformed secrets', async () => {
    const { exec } = fakeExec();
    const engine = createEngine('docker', { binary: 'docker', exec, env: { PATH: '/usr/bin' } });
    await expect(engine.build(req)).rejects.toThrow(/TOK, which is not set/);
    await expect(engine.build({ ...req, secrets: [{ id: 'x' }] })).rejects.toThrow(
      /exactly one of env/,
    );
    await expect(engine.build({ ...req, secrets: [{ id: 'a,b', src: '/f' }] })).rejects.toThrow(
      /not valid/,
    );
  });

  it('turns a failed build into an EngineError naming the step, secrets redacted', async () => {
    const lines: string[] = [];
    const { exec } = fakeExec(({ args }) => ({
      exitCode: args[1] === 'build' ? 1 : 0,
      stderr: `#4 [2/2] RUN --mount=type=secret,id=tok cat /run/secrets/tok && false\n#4 0.1 ${SECRET_VALUE}\n#4 ERROR: executor failed running [/bin/sh -c false]: exit code: 1`,
    }));
    const engine = createEngine('docker', { binary: 'docker', exec, env });
    const error = await engine
      .build({ ...req, onOutput: (l) => lines.push(l) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).toMatch(
      /failed at step \[2\/2\] RUN --mount=type=secret,id=tok cat/,
    );
    expect((error as Error).message).not.toContain(SECRET_VALUE);
    expect(lines).toContain('#4 0.1 ***');
  });
});
