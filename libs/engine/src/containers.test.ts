import { describe, expect, it } from 'vitest';
import { createEngine } from './detect-engine';
import { EngineError } from './errors';
import { fakeExec } from '../test-support/fake-exec';

const REQ = {
  name: 'dev',
  image: 'img:1',
  entrypoint: 'sleep',
  command: ['infinity'],
  network: 'host' as const,
  mounts: [{ source: '/ws', target: '/workspace' }],
  workdir: '/workspace',
};

describe('containers through the engine interface', () => {
  it.each(['docker', 'podman'] as const)(
    '%s: replaces, starts detached with flags, execs as a user, removes',
    async (name) => {
      const { exec, calls } = fakeExec((c) =>
        c.args[0] === 'rm' && calls.length > 2 ? { stderr: 'Error: No such container: dev' } : {},
      );
      const engine = createEngine(name, { binary: name, exec, env: {} });
      const c = await engine.startContainer({ ...REQ, runFlags: ['--gpus', 'all'] });
      await engine.execContainer(c, { command: ['id'], user: '0' });
      expect(await engine.removeContainer('dev')).toBe(false);
      expect(calls.map((x) => x.args.join(' '))).toEqual([
        'rm -f dev',
        'run -d --rm --name dev --network host --gpus all -v /ws:/workspace -w /workspace --entrypoint sleep img:1 infinity',
        'exec --user 0 dev id',
        'rm -f dev',
      ]);
      expect(c.enter).toEqual([name, 'exec', '-it', 'dev', 'bash']);
    },
  );

  it('buildah: a named working container, each exec a buildah run with the start request', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    const c = await engine.startContainer(REQ);
    await engine.execContainer(c, { command: ['id'], timeoutMs: 5000 });
    expect(await engine.removeContainer('dev')).toBe(true);
    const g = '--storage-driver overlay';
    expect(calls.map((x) => x.args.join(' '))).toEqual([
      `${g} rm dev`,
      `${g} from --pull-never --name dev img:1`,
      `${g} run --network host --volume /ws:/workspace --workingdir /workspace dev -- id`,
      `${g} rm dev`,
    ]);
    expect(calls[2]!.options.timeoutMs).toBe(5000);
    expect(c.enter.join(' ')).toBe(
      `buildah ${g} run --network host --volume /ws:/workspace --workingdir /workspace dev -- bash`,
    );
  });

  it.each(['docker', 'podman'] as const)(
    '%s: a named run is one `run --name` (--rm unless kept), so a run stopped at its time limit can be removed by name',
    async (name) => {
      const { exec, calls } = fakeExec();
      const engine = createEngine(name, { binary: name, exec, env: {} });
      await engine.run({ name: 'chk', image: 'img:1', entrypoint: 'sh', command: ['-c', 'id'] });
      await engine.run({ image: 'img:1', command: ['id'] });
      await engine.run({ name: 'k', keep: true, image: 'img:1', command: ['id'] });
      await engine.run({ keep: true, image: 'img:1', command: ['id'] });
      expect(calls.map((x) => x.args.join(' '))).toEqual([
        'run --rm --name chk --network none --entrypoint sh img:1 -c id',
        'run --rm --network none img:1 id',
        // Kept for the caller to remove by name; without a name nothing could, so --rm stays.
        'run --name k --network none img:1 id',
        'run --rm --network none img:1 id',
      ]);
    },
  );

  it('buildah: a named run makes its working container under that name and removes it, unless kept', async () => {
    const { exec, calls } = fakeExec((c) =>
      c.args.includes('inspect')
        ? { stdout: '{"OCIv1":{"config":{}}}' }
        : c.args.includes('from')
          ? { stdout: 'chk\n' }
          : {},
    );
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    await engine.run({ name: 'chk', image: 'img:1', platform: 'linux/arm64', command: ['id'] });
    await engine.run({ name: 'chk', keep: true, image: 'img:1', command: ['id'] });
    const g = '--storage-driver overlay';
    expect(calls.map((x) => x.args.join(' '))).toEqual([
      `${g} inspect --type image img:1`,
      `${g} from --pull-never --platform linux/arm64 --name chk img:1`,
      `${g} run --network none chk -- id`,
      `${g} rm chk`,
      `${g} inspect --type image img:1`,
      `${g} from --pull-never --name chk img:1`,
      `${g} run --network none chk -- id`,
    ]);
  });

  it('buildah: refuses --gpus before creating anything', async () => {
    const { exec, calls } = fakeExec();
    const engine = createEngine('buildah', { binary: 'buildah', exec, env: {} });
    await expect(engine.startContainer({ ...REQ, runFlags: ['--gpus', 'all'] })).rejects.toThrow(
      EngineError,
    );
    expect(calls).toEqual([]);
  });
});
