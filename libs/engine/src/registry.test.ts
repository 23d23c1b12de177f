import { describe, expect, it } from 'vitest';
import {
  httpRegistryLookup,
  MANIFEST_TYPES,
  registryBaseUrl,
  registryHasManifest,
} from './registry';

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
