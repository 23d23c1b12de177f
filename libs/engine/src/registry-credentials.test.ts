import { describe, expect, it } from 'vitest';
import { fakeExec } from '../test-support/fake-exec';
import { authFilePaths, findRegistryCredentials } from './registry-credentials';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const files = (map: Record<string, unknown>) => (path: string) =>
  path in map ? JSON.stringify(map[path]) : undefined;

describe('authFilePaths', () => {
  it("follows each engine's order", () => {
    const env = { HOME: '/h', XDG_RUNTIME_DIR: '/run/user/7' };
    expect(authFilePaths('docker', env, 7)).toEqual(['/h/.docker/config.json']);
    expect(authFilePaths('docker', { ...env, DOCKER_CONFIG: '/d' }, 7)).toEqual(['/d/config.json']);
    expect(authFilePaths('buildah', env, 7)).toEqual([
      '/run/user/7/containers/auth.json',
      '/h/.config/containers/auth.json',
      '/h/.docker/config.json',
    ]);
    expect(authFilePaths('podman', { HOME: '/h' }, 0)[0]).toBe('/run/containers/0/auth.json');
    expect(authFilePaths('buildah', { ...env, REGISTRY_AUTH_FILE: '/a.json' }, 7)).toEqual([
      '/a.json',
      '/h/.docker/config.json',
    ]);
  });
});

describe('findRegistryCredentials', () => {
  it("decodes docker's auths entry, whatever form its key has", async () => {
    for (const key of ['127.0.0.1:5001', 'http://127.0.0.1:5001', 'https://127.0.0.1:5001/v2/']) {
      const readFile = files({
        '/h/.docker/config.json': { auths: { [key]: { auth: b64('u:p:w') } } },
      });
      const got = await findRegistryCredentials('127.0.0.1:5001', 'ns/app', {
        engine: 'docker',
        env: { HOME: '/h' },
        readFile,
      });
      expect(got.credentials).toEqual({
        username: 'u',
        password: 'p:w',
        source: '/h/.docker/config.json',
      });
    }
  });

  it('reads identity tokens from config.json and from a helper answering user <token>', async () => {
    const readFile = files({
      '/h/.docker/config.json': {
        auths: { 'a.example.com': { identitytoken: 'RT1' } },
        credHelpers: { 'b.example.com': 'acr' },
      },
    });
    const { exec } = fakeExec(() => ({ stdout: '{"Username":"<token>","Secret":"RT2"}' }));
    const sources = { engine: 'docker' as const, env: { HOME: '/h' }, readFile, exec };
    expect((await findRegistryCredentials('a.example.com', 'x', sources)).credentials).toEqual({
      username: '<token>',
      password: '',
      identityToken: 'RT1',
      source: '/h/.docker/config.json',
    });
    expect(
      (await findRegistryCredentials('b.example.com', 'x', sources)).credentials?.identityToken,
    ).toBe('RT2');
  });

  it('prefers the most specific repository-scoped entry of auth.json', async () => {
    const readFile = files({
      '/a.json': {
        auths: {
          'reg.example.com': { auth: b64('all:1') },
          'reg.example.com/team': { auth: b64('team:2') },
          'reg.example.com/other': { auth: b64('other:3') },
        },
      },
    });
    const find = (repo: string) =>
      findRegistryCredentials('reg.example.com', repo, {
        engine: 'buildah',
        env: { HOME: '/h', REGISTRY_AUTH_FILE: '/a.json' },
        readFile,
      });
    expect((await find('team/app')).credentials?.username).toBe('team');
    expect((await find('teams/app')).credentials?.username).toBe('all');
  });

  it('asks the credential helper with the registry on stdin (Docker Hub under its v1 URL)', async () => {
    const { exec, calls } = fakeExec(() => ({ stdout: '{"Username":"bot","Secret":"tok"}' }));
    const readFile = files({
      '/h/.docker/config.json': { credsStore: 'pass', credHelpers: { 'reg.example.com': 'ecr' } },
    });
    const sources = { engine: 'docker' as const, env: { HOME: '/h' }, readFile, exec };
    const got = await findRegistryCredentials('reg.example.com', 'a/b', sources);
    expect(got.credentials).toEqual({
      username: 'bot',
      password: 'tok',
      source: 'docker-credential-ecr',
    });
    await findRegistryCredentials('docker.io', 'library/python', sources);
    expect(calls.map((c) => [c.file, c.args, c.options.input])).toEqual([
      ['docker-credential-ecr', ['get'], 'reg.example.com'],
      ['docker-credential-pass', ['get'], 'https://index.docker.io/v1/'],
    ]);
  });

  it('names a helper that has no login or is missing among the places searched', async () => {
    const readFile = files({ '/h/.docker/config.json': { credsStore: 'pass' } });
    for (const [answer, why] of [
      [{ exitCode: 1, stdout: 'credentials not found' }, 'no login for r:1'],
      [{ exitCode: 127, notFound: true }, 'not installed'],
    ] as const) {
      const { exec } = fakeExec(() => answer);
      const got = await findRegistryCredentials('r:1', 'a', {
        engine: 'docker',
        env: { HOME: '/h' },
        readFile,
        exec,
      });
      expect(got).toEqual({
        searched: ['/h/.docker/config.json', `docker-credential-pass (${why})`],
      });
    }
    const bad = await findRegistryCredentials('r:1', 'a', {
      engine: 'docker',
      env: { DOCKER_CONFIG: '/x' },
      readFile: () => '{not json',
    });
    expect(bad.searched).toEqual(['/x/config.json (not valid JSON)']);
  });

  it('falls back to the next file, and lists every file it searched when none has a login', async () => {
    const readFile = files({
      '/run/containers/0/auth.json': { auths: { 'other:1': { auth: b64('x:y') } } },
      '/h/.docker/config.json': { auths: { 'reg:5': { auth: b64('d:e') } } },
    });
    const sources = { engine: 'podman' as const, env: { HOME: '/h' }, readFile, uid: 0 };
    expect((await findRegistryCredentials('reg:5', 'a', sources)).credentials?.source).toBe(
      '/h/.docker/config.json',
    );
    expect(await findRegistryCredentials('none:1', 'a', sources)).toEqual({
      searched: [
        '/run/containers/0/auth.json',
        '/h/.config/containers/auth.json',
        '/h/.docker/config.json',
      ],
    });
  });
});
