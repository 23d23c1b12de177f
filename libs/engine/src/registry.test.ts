import { describe, expect, it } from 'vitest';
import { MANIFEST_TYPES, registryBaseUrl, registryTimeoutMs } from './registry-api';
import { httpRegistryLookup, registryHasManifest } from './registry-client';
import { RegistryAuthError, RegistryUnavailableError } from './registry-errors';

const login =
  (username = 'u', password = 'p') =>
  async () => ({
    credentials: { username, password, source: '/h/.docker/config.json' },
    searched: ['/h/.docker/config.json'],
  });
const noLogin = async () => ({ searched: ['/h/.docker/config.json'] });
const basicChallenge = { 'www-authenticate': 'Basic realm="Registry Realm"' };

function fakeFetch(answer: (url: string, init: RequestInit) => Response) {
  const seen: { url: string; init: RequestInit }[] = [];
  const f = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    seen.push({ url, init });
    return answer(url, init);
  }) as typeof fetch;
  return { f, seen };
}

describe('registryHasManifest', () => {
  it('uses http for loopback registries and asks for docker and OCI manifests', async () => {
    const { f, seen } = fakeFetch(() => new Response(null, { status: 200 }));
    expect(
      await registryHasManifest('127.0.0.1:5000/library/python:3.11-slim-bookworm', { fetch: f }),
    ).toBe(true);
    expect(seen[0]!.url).toBe(
      'http://127.0.0.1:5000/v2/library/python/manifests/3.11-slim-bookworm',
    );
    expect(seen[0]!.init.method).toBe('HEAD');
    const accept = (seen[0]!.init.headers as Record<string, string>).Accept;
    for (const type of MANIFEST_TYPES) expect(accept).toContain(type);
  });

  it('is false on 404, uses https elsewhere, latest by default', async () => {
    const { f, seen } = fakeFetch(() => new Response(null, { status: 404 }));
    expect(await registryHasManifest('registry.example.com/team/app', { fetch: f })).toBe(false);
    expect(seen[0]!.url).toBe('https://registry.example.com/v2/team/app/manifests/latest');
    expect(registryBaseUrl(undefined)).toBe('https://registry-1.docker.io');
  });

  it('follows an anonymous bearer challenge', async () => {
    const { f, seen } = fakeFetch((url, init) => {
      if (url.startsWith('https://auth.example.com/token')) return Response.json({ token: 'T' });
      const auth = (init.headers as Record<string, string>).Authorization;
      if (auth === 'Bearer T') return new Response(null, { status: 200 });
      return new Response(null, {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="https://auth.example.com/token",service="reg",scope="repository:a/b:pull"',
        },
      });
    });
    expect(await registryHasManifest('reg.example.com/a/b:1', { fetch: f })).toBe(true);
    expect(seen[1]!.url).toBe(
      'https://auth.example.com/token?service=reg&scope=repository%3Aa%2Fb%3Apull',
    );
  });

  it('says what to do when the registry cannot be reached', async () => {
    const f = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    await expect(registryHasManifest('127.0.0.1:5999/x:1', { fetch: f })).rejects.toThrow(
      /127\.0\.0\.1:5999 could not be reached for 127\.0\.0\.1:5999\/x:1/,
    );
  });
});

describe('httpRegistryLookup', () => {
  it('answers hasTag from the manifest endpoint with the options it was given', async () => {
    const { f, seen } = fakeFetch(() => new Response(null, { status: 200 }));
    const lookup = httpRegistryLookup({ fetch: f });
    expect(await lookup.hasTag('127.0.0.1:5000/ns/app:ch-1')).toBe(true);
    expect(seen.map((s) => s.url)).toEqual(['http://127.0.0.1:5000/v2/ns/app/manifests/ch-1']);
  });
});

describe('registryHasManifest with logins and failures', () => {
  it('answers a Basic challenge with the engine login, asking for it only then', async () => {
    let asked = 0;
    const { f, seen } = fakeFetch((_url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      if (auth === `Basic ${Buffer.from('u:p').toString('base64')}`)
        return new Response(null, { status: 200 });
      return new Response(null, { status: 401, headers: basicChallenge });
    });
    const credentials = async (registry: string, repository: string) => {
      asked++;
      expect([registry, repository]).toEqual(['127.0.0.1:5001', 'ns/app']);
      return login()();
    };
    expect(await registryHasManifest('127.0.0.1:5001/ns/app:ch-1', { fetch: f, credentials })).toBe(
      true,
    );
    expect(asked).toBe(1);
    expect((seen[0]!.init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('sends the login to the token service of a Bearer challenge', async () => {
    const { f, seen } = fakeFetch((url, init) => {
      const auth = (init.headers as Record<string, string>).Authorization;
      if (url.startsWith('https://auth.example.com/'))
        return auth?.startsWith('Basic ')
          ? Response.json({ access_token: 'T' })
          : new Response(null, { status: 401 });
      if (auth === 'Bearer T') return new Response(null, { status: 404 });
      return new Response(null, {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="https://auth.example.com/token"' },
      });
    });
    expect(
      await registryHasManifest('reg.example.com/a/b:1', { fetch: f, credentials: login() }),
    ).toBe(false);
    expect(seen[1]!.url).toBe('https://auth.example.com/token?scope=repository%3Aa%2Fb%3Apull');
    await expect(
      registryHasManifest('reg.example.com/a/b:1', { fetch: f, credentials: noLogin }),
    ).rejects.toThrow(RegistryAuthError);
  });

  it('exchanges an identity token (OAuth2 refresh token) at the token service', async () => {
    let form: URLSearchParams | undefined;
    const { f } = fakeFetch((url, init) => {
      if (url.startsWith('https://auth.example.com/')) {
        form = new URLSearchParams(String(init.body));
        return init.method === 'POST'
          ? Response.json({ access_token: 'A' })
          : new Response(null, { status: 401 });
      }
      if ((init.headers as Record<string, string>).Authorization === 'Bearer A')
        return new Response(null, { status: 200 });
      return new Response(null, {
        status: 401,
        headers: {
          'www-authenticate': 'Bearer realm="https://auth.example.com/token",service="reg"',
        },
      });
    });
    const credentials = async () => ({
      credentials: { username: '<token>', password: '', identityToken: 'RT', source: 'x' },
      searched: ['x'],
    });
    expect(await registryHasManifest('reg.example.com/a/b:1', { fetch: f, credentials })).toBe(
      true,
    );
    expect(Object.fromEntries(form!)).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'RT',
      service: 'reg',
      scope: 'repository:a/b:pull',
    });
  });

  it('says that no credentials are configured on an anonymous 401, and where it looked', async () => {
    const { f } = fakeFetch(() => new Response(null, { status: 401, headers: basicChallenge }));
    const error = await registryHasManifest('127.0.0.1:5001/ns/app:1', {
      fetch: f,
      credentials: noLogin,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect((error as Error).message).toBe(
      'registry 127.0.0.1:5001 answered 401 for 127.0.0.1:5001/ns/app:1 and no credentials for 127.0.0.1:5001 are configured (searched /h/.docker/config.json): run `imagesmith login 127.0.0.1:5001` (or `docker login 127.0.0.1:5001`)',
    );
  });

  it('names the refused login on 401 and 403 (never its password)', async () => {
    for (const status of [401, 403]) {
      const { f } = fakeFetch(() => new Response(null, { status, headers: basicChallenge }));
      const error = (await registryHasManifest('127.0.0.1:5001/ns/app:1', {
        fetch: f,
        credentials: login('alice', 'hunter22'),
      }).catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(RegistryAuthError);
      expect(error.message).toContain(`answered ${status} for 127.0.0.1:5001/ns/app:1`);
      expect(error.message).toContain('/h/.docker/config.json (user alice)');
      expect(error.message).toContain('imagesmith login 127.0.0.1:5001');
      expect(error.message).not.toContain('hunter22');
    }
  });

  it('is unavailable, never absent, on a 5xx or another unexpected status', async () => {
    for (const status of [500, 503, 429]) {
      const { f } = fakeFetch(() => new Response(null, { status }));
      const error = (await registryHasManifest('127.0.0.1:5001/ns/app:1', { fetch: f }).catch(
        (e: unknown) => e,
      )) as RegistryUnavailableError;
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      expect(error.answer).toBe(`127.0.0.1:5001 answered ${status} for 127.0.0.1:5001/ns/app:1`);
    }
  });

  it('times out a registry that does not answer', async () => {
    const f = ((_u: unknown, init: RequestInit) =>
      new Promise((_resolve, reject) =>
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
      )) as typeof fetch;
    const error = (await registryHasManifest('127.0.0.1:5001/ns/app:1', {
      fetch: f,
      timeoutMs: 50,
    }).catch((e: unknown) => e)) as RegistryUnavailableError;
    expect(error.answer).toBe(
      '127.0.0.1:5001 could not be reached for 127.0.0.1:5001/ns/app:1 (no answer within 0.05 s)',
    );
  });

  it('reads IMAGESMITH_REGISTRY_TIMEOUT in seconds and rejects nonsense', () => {
    expect(registryTimeoutMs({})).toBe(10_000);
    expect(registryTimeoutMs({ IMAGESMITH_REGISTRY_TIMEOUT: '' })).toBe(10_000);
    expect(registryTimeoutMs({ IMAGESMITH_REGISTRY_TIMEOUT: '0.5' })).toBe(500);
    expect(() => registryTimeoutMs({ IMAGESMITH_REGISTRY_TIMEOUT: 'soon' })).toThrow(
      /IMAGESMITH_REGISTRY_TIMEOUT="soon" is not a number of seconds/,
    );
  });
});
