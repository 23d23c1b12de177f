import { describe, expect, it } from 'vitest';
import { createEngine } from './detect-engine';
import { EngineError } from './errors';
import { fakeExec } from '../test-support/fake-exec';

const PASSWORD = 'hunter2-registry-password';
const INSPECT = JSON.stringify([
  {
    Id: 'sha256:abc',
    RepoTags: ['127.0.0.1:5000/app:1'],
    RepoDigests: ['127.0.0.1:5000/other@sha256:111', '127.0.0.1:5000/app@sha256:222'],
    Size: 1234,
    Config: { User: 'app', Env: ['PATH=/usr/bin', 'A=b=c'], Labels: { x: 'y' } },
  },
]);

describe('docker engine commands', () => {
  it('logs in with the password on stdin only, and redacts it from errors', async () => {
    const { exec, calls } = fakeExec(() => ({
      exitCode: 1,
      stderr: `Error response from daemon: bad password ${PASSWORD}`,
    }));
    const engine = createEngine('docker', { binary: 'docker', exec, env: {} });
    const error = await engine.login('127.0.0.1:5000', 'ci', PASSWORD).catch((e: unknown) => e);
    expect(calls[0]!.args).toEqual(['login', '127.0.0.1:5000', '-u', 'ci', '--password-stdin']);
    expect(calls[0]!.options.input).toBe(PASSWORD);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it('podman and buildah log in to loopback registries without TLS, password on stdin', async () => {
    for (const name of ['podman', 'buildah'] as const) {
      const { exec, calls } = fakeExec();
      await createEngine(name, { binary: name, exec, env: {} }).login(
        '127.0.0.1:5000',
        'ci',
        PASSWORD,
      );
      const args = calls[0]!.args;
      expect(args).toContain('--tls-verify=false');
      expect(args).toContain('--password-stdin');
      expect(args.join(' ')).not.toContain(PASSWORD);
      expect(calls[0]!.options.input).toBe(PASSWORD);
    }
  });

  it('runs containers with --rm --network none and returns non-zero exits', async () => {
    const { exec, calls } = fakeExec(() => ({ exitCode: 3, stdout: 'out', stderr: 'err' }));
    const engine = createEngine('docker', { binary: 'docker', exec, env: {} });
    const result = await engine.run({
      image: 'img:1',
      command: ['sh', '-c', 'exit 3'],
      user: '1000',
      env: { A: '1' },
      entrypoint: '/bin/sh',
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
    expect(calls[0]!.args).toEqual([
      'run',
      '--rm',
      '--network',
      'none',
      '--user',
      '1000',
      '-e',
      'A=1',
      '--entrypoint',
      '/bin/sh',
      'img:1',
      'sh',
      '-c',
      'exit 3',
    ]);
  });

  it('inspects into ImageInfo, and null when the image is absent', async () => {
    const { exec } = fakeExec(({ args }) =>
      args.at(-1) === 'gone:1'
        ? { exitCode: 1, stderr: 'Error: No such image: gone:1' }
        : { stdout: INSPECT },
    );
    const engine = createEngine('docker', { binary: 'docker', exec, env: {} });
    expect(await engine.inspect('gone:1')).toBeNull();
    expect(await engine.inspect('127.0.0.1:5000/app:1')).toEqual({
      id: 'sha256:abc',
      digest: 'sha256:222',
      sizeBytes: 1234,
      user: 'app',
      env: { PATH: '/usr/bin', A: 'b=c' },
      labels: { x: 'y' },
      repoTags: ['127.0.0.1:5000/app:1'],
      repoDigests: ['127.0.0.1:5000/other@sha256:111', '127.0.0.1:5000/app@sha256:222'],
    });
  });

  it('reads the pushed digest, history lines, and removes idempotently', async () => {
    const digest = 'sha256:' + 'c'.repeat(64);
    const { exec, calls } = fakeExec(({ args }) => {
      if (args[0] === 'push') return { stdout: `1: digest: ${digest} size: 528` };
      if (args[0] === 'history') return { stdout: 'RUN b\nRUN a\n' };
      if (args[1] === 'rm') return { exitCode: 1, stderr: 'Error: No such image: x' };
      return undefined;
    });
    const engine = createEngine('docker', { binary: 'docker', exec, env: {} });
    expect(await engine.push('127.0.0.1:5000/app:1')).toEqual({ digest });
    expect(await engine.history('x')).toEqual(['RUN b', 'RUN a']);
    await engine.remove('x');
    expect(calls.map((c) => c.args[0])).toEqual(['push', 'history', 'image']);
  });

  it('explains a failing push', async () => {
    const { exec } = fakeExec(() => ({ exitCode: 1, stderr: 'connection refused' }));
    await expect(
      createEngine('docker', { binary: 'docker', exec, env: {} }).push('127.0.0.1:5000/a:1'),
    ).rejects.toThrow(/push 127.0.0.1:5000\/a:1 failed[\s\S]*What to do:/);
  });
});
