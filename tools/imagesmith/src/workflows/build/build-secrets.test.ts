import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkspace, parseWorkspaceConfig, resolveVariants } from '@imagesmith/core';
import { createEngine } from '@imagesmith/engine';
import { fakeExec } from '../../../../../libs/engine/test-support/fake-exec';
import { planBuild } from '../shared/build-plan';
import { buildSecrets } from './build-secrets';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const PASSWORD = 'pw-9f3c1e7a';
const INDEX = `http://ci:${PASSWORD}@127.0.0.1:8080/simple/`;
const env = { PATH: '/usr/bin', IMAGESMITH_PIP_INDEX: INDEX };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-secrets-'));
  dirs.push(dir);
  return dir;
}

/** The build args and secrets `build` hands the engine for python-base with this environment. */
function planned(environment: NodeJS.ProcessEnv) {
  const config = parseWorkspaceConfig(undefined, environment);
  const ws = loadWorkspace(REPO);
  const plan = planBuild(ws, config, resolveVariants(ws, 'python-base')[0]!, 'production', () => ({
    Dockerfile: 'FROM scratch\n',
  }));
  return { buildArgs: plan.buildArgs, secrets: buildSecrets([], config.mirrors, environment) };
}

function request(dir: string, p: ReturnType<typeof planned>) {
  writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  return { contextDir: dir, dockerfile: join(dir, 'Dockerfile'), tags: ['t:1'], ...p };
}

describe('credentials in IMAGESMITH_PIP_INDEX', () => {
  it('docker: the build arg carries the URL without them; pip gets them as the netrc secret, through the environment only', async () => {
    const p = planned(env);
    expect(p.buildArgs.PIP_INDEX_URL).toBe('http://127.0.0.1:8080/simple/');
    const { exec, calls } = fakeExec();
    const engine = createEngine('docker', {
      binary: 'docker',
      exec,
      env,
      hostPlatform: 'linux/amd64',
    });
    await engine.build(request(tempDir(), p));
    const { args, options } = calls.find((c) => c.args[1] === 'build')!;
    const argv = args.join(' ');
    expect(argv).toContain('--build-arg PIP_INDEX_URL=http://127.0.0.1:8080/simple/');
    expect(argv).toContain('--secret id=netrc,env=IMAGESMITH_SECRET_0');
    expect(argv).not.toContain(PASSWORD);
    expect(argv).not.toMatch(/ci:|@127/);
    expect(options.env?.IMAGESMITH_SECRET_0).toBe(
      `machine 127.0.0.1 login ci password ${PASSWORD}\n`,
    );
  });

  it('buildah: the netrc goes to a private file (src=) removed after the build, never to argv', async () => {
    let file = '';
    let content = '';
    const { exec, calls } = fakeExec(({ args }) => {
      const s = args.find((a) => a.startsWith('id=netrc,src=')) ?? '';
      file = s.replace('id=netrc,src=', '');
      content = readFileSync(file, 'utf8');
      return undefined;
    });
    const engine = createEngine('buildah', { binary: '/usr/bin/buildah', exec, env });
    await engine.build(request(tempDir(), planned(env)));
    expect(calls[0]!.args.join(' ')).not.toContain(PASSWORD);
    expect(content).toBe(`machine 127.0.0.1 login ci password ${PASSWORD}\n`);
    expect(() => readFileSync(file)).toThrow();
  });

  it("keeps IMAGESMITH_NETRC's entries and adds the index's after them", () => {
    const netrc = join(tempDir(), 'netrc');
    writeFileSync(netrc, 'machine other.example login a password b');
    const { secrets } = planned({ ...env, IMAGESMITH_NETRC: netrc });
    expect(secrets.find((s) => s.id === 'netrc')).toEqual({
      id: 'netrc',
      value: `machine other.example login a password b\nmachine 127.0.0.1 login ci password ${PASSWORD}\n`,
    });
  });

  it('without credentials: the netrc file is passed by path, as before', () => {
    const { buildArgs, secrets } = planned({
      IMAGESMITH_PIP_INDEX: 'http://127.0.0.1:8080/simple/',
      IMAGESMITH_NETRC: '/run/netrc',
    });
    expect(buildArgs.PIP_INDEX_URL).toBe('http://127.0.0.1:8080/simple/');
    expect(secrets.find((s) => s.id === 'netrc')).toEqual({ id: 'netrc', src: '/run/netrc' });
  });

  it('percent-encoded user names and passwords are decoded for netrc', () => {
    const { secrets } = planned({
      IMAGESMITH_PIP_INDEX: 'https://me%40corp:p%2Fw@idx.example/simple/',
    });
    expect(secrets.find((s) => s.id === 'netrc')?.value).toBe(
      'machine idx.example login me@corp password p/w\n',
    );
  });
});
