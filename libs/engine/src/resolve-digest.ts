import { createHash } from 'node:crypto';
import { EngineError } from './errors';
import { parseImageRef } from './parse-image-ref';
import { MANIFEST_TYPES, registryBaseUrl, DEFAULT_REGISTRY_TIMEOUT_MS } from './registry';
import { unreachableReason } from './registry-errors';

export interface ResolveDigestOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The answer for one tag: its digest, or why there is none (a 404 or an unreachable registry). */
export type DigestAnswer = { digest: string } | { problem: string };

/**
 * The manifest digest a registry serves for `ref` (registry/repository:tag): the index digest for a
 * multi-arch tag, since the Accept header offers lists and indexes first-class. HEAD, then GET when
 * HEAD is not allowed; `Docker-Content-Digest`, or the sha256 of the GET body when a registry
 * leaves the header out (https://distribution.github.io/distribution/spec/api/#digest-header).
 * Anonymous, with the anonymous Bearer token Docker Hub hands out for public repositories.
 */
export async function resolveManifestDigest(
  ref: string,
  opts: ResolveDigestOptions = {},
): Promise<DigestAnswer> {
  const parsed = parseImageRef(ref);
  if (parsed.digest) return { digest: parsed.digest };
  const doFetch = opts.fetch ?? fetch;
  const registry = parsed.registry ?? 'docker.io';
  const repository =
    !parsed.registry && !parsed.repository.includes('/')
      ? `library/${parsed.repository}`
      : parsed.repository;
  const url = `${registryBaseUrl(parsed.registry)}/v2/${repository}/manifests/${parsed.tag ?? 'latest'}`;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const headers = (auth: Record<string, string>) => ({
    Accept: MANIFEST_TYPES.join(', '),
    ...auth,
  });
  try {
    const ask = async (auth: Record<string, string>, method: 'HEAD' | 'GET') =>
      doFetch(url, { method, headers: headers(auth), signal });
    let auth: Record<string, string> = {};
    let res = await ask(auth, 'HEAD');
    if (res.status === 401) {
      await res.body?.cancel();
      const token = await anonymousToken(
        res.headers.get('www-authenticate') ?? '',
        doFetch,
        signal,
      );
      if (token) auth = { Authorization: `Bearer ${token}` };
      res = await ask(auth, 'HEAD');
    }
    const header = res.headers.get('docker-content-digest');
    if (res.status === 200 && header) {
      await res.body?.cancel();
      return { digest: header };
    }
    if (res.status === 200 || res.status === 405) {
      await res.body?.cancel();
      res = await ask(auth, 'GET');
      if (res.status === 200) {
        const body = Buffer.from(await res.arrayBuffer());
        const digest =
          res.headers.get('docker-content-digest') ??
          `sha256:${createHash('sha256').update(body).digest('hex')}`;
        return { digest };
      }
    }
    await res.body?.cancel();
    if (res.status === 404)
      return { problem: `${registry} has no ${repository}:${parsed.tag ?? 'latest'}` };
    return { problem: `${registry} answered ${res.status} for ${ref}` };
  } catch (error) {
    if (error instanceof EngineError) throw error;
    return { problem: `${registry} could not be reached (${unreachableReason(error, timeoutMs)})` };
  }
}

async function anonymousToken(
  challenge: string,
  doFetch: typeof fetch,
  signal: AbortSignal,
): Promise<string | undefined> {
  if (!/^bearer/i.test(challenge)) return undefined;
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  if (!params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  const res = await doFetch(url, { signal });
  if (!res.ok) {
    await res.body?.cancel();
    return undefined;
  }
  const body = (await res.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}
