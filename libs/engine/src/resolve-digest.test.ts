import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveManifestDigest } from './resolve-digest';

const DIGEST = `sha256:${'c'.repeat(64)}`;
type Answer = { status: number; headers?: Record<string, string>; body?: string };

/** A fake fetch answering in order and recording each request as "METHOD url [auth]". */
function fakeFetch(answers: Answer[]) {
  const seen: string[] = [];
  const doFetch = (async (url: string | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    seen.push(
      `${init?.method ?? 'GET'} ${String(url)}${headers.Authorization ? ` ${headers.Authorization}` : ''}`,
    );
    const a = answers.shift();
    if (!a) throw new Error(`unexpected request ${String(url)}`);
    return new Response(a.status === 200 || a.body ? (a.body ?? '') : null, {
      status: a.status,
      headers: a.headers,
    });
  }) as typeof fetch;
  return { doFetch, seen };
}

describe('resolveManifestDigest', () => {
  it('reads Docker-Content-Digest from a HEAD with list/index media types accepted', async () => {
    const f = fakeFetch([{ status: 200, headers: { 'docker-content-digest': DIGEST } }]);
    const got = await resolveManifestDigest('127.0.0.1:5000/library/python:3.11', {
      fetch: f.doFetch,
    });
    expect(got).toEqual({ digest: DIGEST });
    expect(f.seen).toEqual(['HEAD http://127.0.0.1:5000/v2/library/python/manifests/3.11']);
  });

  it('Docker Hub: anonymous Bearer token, then the digest; library/ added', async () => {
    const f = fakeFetch([
      {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:library/python:pull"',
        },
      },
      { status: 200, body: '{"token":"t0k"}', headers: { 'content-type': 'application/json' } },
      { status: 200, headers: { 'docker-content-digest': DIGEST } },
    ]);
    expect(await resolveManifestDigest('python:3.11', { fetch: f.doFetch })).toEqual({
      digest: DIGEST,
    });
    expect(f.seen[0]).toBe('HEAD https://registry-1.docker.io/v2/library/python/manifests/3.11');
    expect(f.seen[1]).toBe(
      'GET https://auth.example/token?service=registry.example&scope=repository%3Alibrary%2Fpython%3Apull',
    );
    expect(f.seen[2]).toMatch(/ Bearer t0k$/);
  });

  it('HEAD not allowed and no digest header: the sha256 of the GET body', async () => {
    const body = '{"schemaVersion":2}';
    const f = fakeFetch([{ status: 405 }, { status: 200, body }]);
    const got = await resolveManifestDigest('127.0.0.1:5000/x/y:1', { fetch: f.doFetch });
    expect(got).toEqual({ digest: `sha256:${createHash('sha256').update(body).digest('hex')}` });
  });

  it('a 404 and a refused connection are problems naming the registry, never a digest', async () => {
    const missing = fakeFetch([{ status: 404, body: 'no' }]);
    expect(await resolveManifestDigest('127.0.0.1:5000/x/y:1', { fetch: missing.doFetch })).toEqual(
      { problem: '127.0.0.1:5000 has no x/y:1' },
    );
    const refused = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    expect(await resolveManifestDigest('127.0.0.1:5000/x/y:1', { fetch: refused })).toEqual({
      problem: '127.0.0.1:5000 could not be reached (connection refused)',
    });
  });
});

describe('resolveManifestDigest with the engine login', () => {
  it('answers a registry that refuses anonymous requests with the login (pin-bases after docker login)', async () => {
    const basic = `Basic ${Buffer.from('ci:pw').toString('base64')}`;
    const seen: string[] = [];
    const doFetch = (async (_url: string | URL, init?: RequestInit) => {
      const auth = (init?.headers as Record<string, string>).Authorization;
      seen.push(auth ?? 'anonymous');
      return auth === basic
        ? new Response(null, { status: 200, headers: { 'docker-content-digest': DIGEST } })
        : new Response(null, {
            status: 401,
            headers: { 'www-authenticate': 'Basic realm="mirror"' },
          });
    }) as typeof fetch;
    const credentials = async () => ({
      credentials: { username: 'ci', password: 'pw', source: '/h/.docker/config.json' },
      searched: ['/h/.docker/config.json'],
    });
    expect(
      await resolveManifestDigest('mirror.example/library/python:3.11', {
        fetch: doFetch,
        credentials,
      }),
    ).toEqual({ digest: DIGEST });
    expect(seen).toEqual(['anonymous', basic]);
    const anonymous = await resolveManifestDigest('mirror.example/library/python:3.11', {
      fetch: doFetch,
      credentials: async () => ({ searched: ['/h/.docker/config.json'] }),
    });
    expect(anonymous).toEqual({
      problem: expect.stringContaining(
        'registry mirror.example answered 401 for mirror.example/library/python:3.11 and no credentials',
      ) as string,
    });
  });
});
