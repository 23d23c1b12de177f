import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostPlatform } from './build-argv';
import { createRegistryClient } from './registry-client';
import {
  RegistryAuthError,
  RegistryLabelMismatchError,
  RegistryUnavailableError,
} from './registry-errors';

const LABEL = 'dev.imagesmith.content-hash';
const INDEX = 'application/vnd.oci.image.index.v1+json';
const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const digestOf = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const [os, arch] = hostPlatform().split('/');

/** A registry holding `ns/app:ch-1`: an index (an other-arch image, an attestation, the host's image). */
function registry(label: string) {
  const config = JSON.stringify({ architecture: arch, os, config: { Labels: { [LABEL]: label } } });
  const image = JSON.stringify({
    mediaType: MANIFEST,
    config: { digest: digestOf(config) },
    layers: [{ digest: `sha256:${'l'.repeat(64)}` }],
  });
  const index = JSON.stringify({
    mediaType: INDEX,
    manifests: [
      { digest: `sha256:${'0'.repeat(64)}`, platform: { os: 'linux', architecture: 's390x' } },
      {
        digest: `sha256:${'a'.repeat(64)}`,
        platform: { os: 'unknown', architecture: 'unknown' },
        annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
      },
      { digest: digestOf(image), platform: { os, architecture: arch } },
    ],
  });
  const blobs: Record<string, [string, string]> = {
    'manifests/ch-1': [index, INDEX],
    [`manifests/${digestOf(index)}`]: [index, INDEX],
    [`manifests/${digestOf(image)}`]: [image, MANIFEST],
    [`blobs/${digestOf(config)}`]: [config, 'application/octet-stream'],
  };
  const seen: string[] = [];
  const put: { url: string; body: string; type: string }[] = [];
  const f = (async (input: string | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = init.method ?? 'GET';
    seen.push(`${method} ${url}`);
    if (method === 'PUT') {
      const body = Buffer.from(init.body as Uint8Array).toString('utf8');
      put.push({ url, body, type: (init.headers as Record<string, string>)['Content-Type']! });
      return new Response(null, {
        status: 201,
        headers: { 'docker-content-digest': digestOf(body) },
      });
    }
    const path = url.replace('http://127.0.0.1:5000/v2/ns/app/', '');
    const blob = blobs[path];
    if (!blob) return new Response(null, { status: 404 });
    const headers = { 'content-type': blob[1], 'docker-content-digest': digestOf(blob[0]) };
    return new Response(method === 'HEAD' ? null : blob[0], { status: 200, headers });
  }) as typeof fetch;
  return { f, seen, put, index, image, config };
}

describe('the registry client', () => {
  it("checks a label from the config of the host platform's image in an index, never a layer", async () => {
    const r = registry('good');
    const client = createRegistryClient({ fetch: r.f });
    expect(await client.hasTag('127.0.0.1:5000/ns/app:ch-1', { name: LABEL, value: 'good' })).toBe(
      true,
    );
    expect(r.seen).toEqual([
      'HEAD http://127.0.0.1:5000/v2/ns/app/manifests/ch-1',
      'GET http://127.0.0.1:5000/v2/ns/app/manifests/ch-1',
      `GET http://127.0.0.1:5000/v2/ns/app/manifests/${digestOf(r.image)}`,
      `GET http://127.0.0.1:5000/v2/ns/app/blobs/${digestOf(r.config)}`,
    ]);
    expect(await client.imageConfig('127.0.0.1:5000/ns/app:ch-1')).toEqual({
      manifestDigest: digestOf(r.image),
      platform: `${os}/${arch}`,
      labels: { [LABEL]: 'good' },
    });
  });

  it('refuses a copy labelled as other content, saying what it carries', async () => {
    const client = createRegistryClient({ fetch: registry('forged').f });
    const error = await client
      .hasTag('127.0.0.1:5000/ns/app:ch-1', { name: LABEL, value: 'good' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryLabelMismatchError);
    expect((error as Error).message).toBe(
      '127.0.0.1:5000/ns/app:ch-1 in the registry is labelled forged, not good',
    );
    expect(await client.hasTag('127.0.0.1:5000/ns/app:ch-2', { name: LABEL, value: 'good' })).toBe(
      false,
    );
  });

  it('answers the digest a tag names, undefined when there is none', async () => {
    const r = registry('good');
    const client = createRegistryClient({ fetch: r.f });
    expect(await client.manifestDigest('127.0.0.1:5000/ns/app:ch-1')).toBe(digestOf(r.index));
    expect(await client.manifestDigest('127.0.0.1:5000/ns/app:0.1-r0')).toBeUndefined();
  });

  it('copies a tag registry-side: the exact manifest bytes and media type, PUT under the new tag', async () => {
    const r = registry('good');
    const client = createRegistryClient({ fetch: r.f });
    expect(await client.copyTag('127.0.0.1:5000/ns/app:ch-1', '0.1-r0')).toBe(digestOf(r.index));
    expect(r.put).toEqual([
      { url: 'http://127.0.0.1:5000/v2/ns/app/manifests/0.1-r0', body: r.index, type: INDEX },
    ]);
    expect(r.seen.some((s) => s.includes('/blobs/'))).toBe(false);
  });

  it('asks a Bearer token service once for a pull and push scope to copy a tag', async () => {
    const r = registry('good');
    const tokens: string[] = [];
    const f = (async (input: string | URL, init: RequestInit = {}) => {
      const url = String(input);
      if (url.startsWith('https://auth.example/')) {
        tokens.push(new URL(url).searchParams.get('scope')!);
        return Response.json({ token: 'T' });
      }
      if ((init.headers as Record<string, string>).Authorization !== 'Bearer T')
        return new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="https://auth.example/token"' },
        });
      return r.f(url, init);
    }) as typeof fetch;
    await createRegistryClient({ fetch: f }).copyTag('127.0.0.1:5000/ns/app:ch-1', '0.1');
    expect(tokens).toEqual(['repository:ns/app:pull,push']);
    expect(r.put).toHaveLength(1);
  });

  it('names the refused login when the registry will not take the tag', async () => {
    const r = registry('good');
    const f = (async (input: string | URL, init: RequestInit = {}) =>
      init.method === 'PUT'
        ? new Response(null, { status: 403, headers: { 'www-authenticate': 'Basic realm="r"' } })
        : r.f(input, init)) as typeof fetch;
    const credentials = async () => ({
      credentials: { username: 'ci', password: 'hunter22', source: '/h/.docker/config.json' },
      searched: ['/h/.docker/config.json'],
    });
    const error = (await createRegistryClient({ fetch: f, credentials })
      .copyTag('127.0.0.1:5000/ns/app:ch-1', '0.1')
      .catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(RegistryAuthError);
    expect(error.message).toContain('(user ci) may not push to this repository');
    expect(error.message).not.toContain('hunter22');
  });

  it('ends a config read that stalls by the deadline, naming the registry and the reference', async () => {
    const r = registry('good');
    const f = ((input: string | URL, init: RequestInit = {}) =>
      String(input).includes('/blobs/')
        ? new Promise((_resolve, reject) =>
            init.signal!.addEventListener('abort', () => reject(init.signal!.reason)),
          )
        : r.f(input, init)) as typeof fetch;
    const error = (await createRegistryClient({ fetch: f, timeoutMs: 50 })
      .imageConfig('127.0.0.1:5000/ns/app:ch-1')
      .catch((e: unknown) => e)) as RegistryUnavailableError;
    expect(error).toBeInstanceOf(RegistryUnavailableError);
    expect(error.answer).toBe(
      '127.0.0.1:5000 could not be reached for 127.0.0.1:5000/ns/app:ch-1 (no answer within 0.05 s)',
    );
  });
});
