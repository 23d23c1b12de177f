import { EngineError } from './errors';
import { isLoopbackRegistry, parseImageRef } from './parse-image-ref';

export const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

export interface RegistryOptions {
  fetch?: typeof fetch;
  /** Basic credentials; anonymous (with a bearer token when the registry asks) otherwise. */
  username?: string;
  password?: string;
  timeoutMs?: number;
}

/**
 * Asks a registry whether it holds a reference. Workflows take one as an argument so unit tests
 * pass a fake (and can assert it was not asked); the HTTP lookup below is the default at the edge.
 */
export interface RegistryLookup {
  /** Whether the registry holds `ref` (tag or digest). Throws EngineError when it cannot tell. */
  hasTag(ref: string): Promise<boolean>;
}

/** The real lookup: the registry's HTTP API (see registryHasManifest). */
export function httpRegistryLookup(opts: RegistryOptions = {}): RegistryLookup {
  return { hasTag: (ref) => registryHasManifest(ref, opts) };
}

/** The base URL of a registry: http for localhost and 127.0.0.0/8, https otherwise; Docker Hub for none. */
export function registryBaseUrl(registry: string | undefined): string {
  if (!registry || registry === 'docker.io' || registry === 'index.docker.io')
    return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

/** Anonymous (or basic) bearer token for a `WWW-Authenticate: Bearer realm=...` challenge. */
async function bearerToken(
  challenge: string,
  doFetch: typeof fetch,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<string | undefined> {
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  if (!/^bearer/i.test(challenge) || !params.realm) return undefined;
  const url = new URL(params.realm);
  if (params.service) url.searchParams.set('service', params.service);
  if (params.scope) url.searchParams.set('scope', params.scope);
  const res = await doFetch(url, { headers, signal });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { token?: string; access_token?: string };
  return body.token ?? body.access_token;
}

/**
 * Whether the registry holds a manifest for `ref` (HEAD, then GET when HEAD is not allowed),
 * accepting docker v2 and OCI manifests and indexes. Throws EngineError when the registry cannot
 * be reached or refuses us.
 */
export async function registryHasManifest(
  ref: string,
  opts: RegistryOptions = {},
): Promise<boolean> {
  const parsed = parseImageRef(ref);
  const doFetch = opts.fetch ?? fetch;
  const base = registryBaseUrl(parsed.registry);
  const repository =
    !parsed.registry && !parsed.repository.includes('/')
      ? `library/${parsed.repository}`
      : parsed.repository;
  const url = `${base}/v2/${repository}/manifests/${parsed.digest ?? parsed.tag ?? 'latest'}`;
  const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', ') };
  const auth: Record<string, string> = {};
  if (opts.username !== undefined) {
    auth.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password ?? ''}`).toString('base64')}`;
  }
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 15_000);
  try {
    const ask = async (method: 'HEAD' | 'GET', extra: Record<string, string>) => {
      const res = await doFetch(url, { method, headers: { ...headers, ...extra }, signal });
      if (method === 'GET') await res.body?.cancel();
      return res;
    };
    let res = await ask('HEAD', auth);
    if (res.status === 405) res = await ask('GET', auth);
    if (res.status === 401) {
      const token = await bearerToken(
        res.headers.get('www-authenticate') ?? '',
        doFetch,
        auth,
        signal,
      );
      if (token) res = await ask('HEAD', { Authorization: `Bearer ${token}` });
    }
    if (res.ok) return true;
    if (res.status === 404) return false;
    throw new EngineError(
      `registry answered ${res.status} for ${url}: ${res.status === 401 || res.status === 403 ? 'log in (credentials) or check access to the repository' : 'check the registry address and that it is healthy'}`,
      'registry',
    );
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError(
      `cannot reach registry ${base} (${error instanceof Error ? error.message : String(error)}): start it (bash .ci/setup-registry.sh for 127.0.0.1:5000) or check the address`,
      'registry',
      { cause: error },
    );
  }
}
