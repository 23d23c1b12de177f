import { EngineError } from './errors';
import { isLoopbackRegistry, parseImageRef } from './parse-image-ref';
import type { CredentialSearch } from './registry-credentials';
import { RegistryAuthError, RegistryUnavailableError, unreachableReason } from './registry-errors';

export const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

/** How long one lookup may take unless IMAGESMITH_REGISTRY_TIMEOUT says otherwise. */
export const DEFAULT_REGISTRY_TIMEOUT_MS = 10_000;

export interface RegistryOptions {
  fetch?: typeof fetch;
  /**
   * The engine's own login for a registry (see findRegistryCredentials); asked only when the
   * registry challenges us. Anonymous when left out.
   */
  credentials?: (registry: string, repository: string) => Promise<CredentialSearch>;
  timeoutMs?: number;
}

/**
 * Asks a registry whether it holds a reference. Workflows take one as an argument so unit tests
 * pass a fake (and can assert it was not asked); the HTTP lookup below is the default at the edge.
 */
export interface RegistryLookup {
  /**
   * true on 200, false on 404. Throws RegistryAuthError on 401/403 and RegistryUnavailableError
   * on any other answer, a timeout or no connection: never a silent "absent".
   */
  hasTag(ref: string): Promise<boolean>;
}

/** The real lookup: the registry's HTTP API (see registryHasManifest). */
export function httpRegistryLookup(opts: RegistryOptions = {}): RegistryLookup {
  return { hasTag: (ref) => registryHasManifest(ref, opts) };
}

/** IMAGESMITH_REGISTRY_TIMEOUT (seconds, e.g. 2 or 0.5) in ms; the default when unset or empty. */
export function registryTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IMAGESMITH_REGISTRY_TIMEOUT?.trim();
  if (!raw) return DEFAULT_REGISTRY_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new EngineError(
      `IMAGESMITH_REGISTRY_TIMEOUT="${raw}" is not a number of seconds: set it to e.g. 10 (or unset it for ${DEFAULT_REGISTRY_TIMEOUT_MS / 1000} s)`,
      'registry',
    );
  return Math.round(seconds * 1000);
}

/** The base URL of a registry: http for localhost and 127.0.0.0/8, https otherwise; Docker Hub for none. */
export function registryBaseUrl(registry: string | undefined): string {
  if (!registry || registry === 'docker.io' || registry === 'index.docker.io')
    return 'https://registry-1.docker.io';
  return `${isLoopbackRegistry(registry) ? 'http' : 'https'}://${registry}`;
}

function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}

/**
 * The token for a `WWW-Authenticate: Bearer realm=...` challenge: a GET with `auth` (Basic or
 * none), or with an identity token the OAuth2 refresh-token POST the docker token spec describes
 * (https://distribution.github.io/distribution/spec/auth/oauth/).
 */
async function bearerToken(
  challenge: string,
  repository: string,
  doFetch: typeof fetch,
  auth: Record<string, string>,
  identityToken: string | undefined,
  signal: AbortSignal,
): Promise<{ token?: string; status: number }> {
  const params = challengeParams(challenge);
  if (!params.realm) return { status: 401 };
  const url = new URL(params.realm);
  const scope = params.scope ?? `repository:${repository}:pull`;
  let res: Response;
  if (identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: identityToken,
      service: params.service ?? '',
      scope,
      client_id: 'imagesmith',
    });
    res = await doFetch(url, { method: 'POST', body: form, signal });
  } else {
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', scope);
    res = await doFetch(url, { headers: auth, signal });
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const body = (await res.json()) as { token?: string; access_token?: string };
  return { token: body.token ?? body.access_token, status: res.status };
}

function refusal(
  status: number,
  registry: string,
  ref: string,
  search: CredentialSearch | undefined,
): RegistryAuthError {
  const login = `run \`imagesmith login ${registry}\` (or \`docker login ${registry}\`)`;
  const creds = search?.credentials;
  const why = !creds
    ? `and no credentials for ${registry} are configured (searched ${(search?.searched ?? []).join(', ') || 'nothing'}): ${login}`
    : status === 403
      ? `: the login from ${creds.source} (user ${creds.username}) may not pull this repository; ${login} as a user that may`
      : `: it refused the login from ${creds.source} (user ${creds.username}); ${login} again`;
  return new RegistryAuthError(
    `registry ${registry} answered ${status} for ${ref} ${why}`,
    registry,
    status,
  );
}

/**
 * Whether the registry holds a manifest for `ref` (HEAD, then GET when HEAD is not allowed),
 * accepting docker v2 and OCI manifests and indexes. Asks anonymously first; on a challenge it
 * answers with the engine's own login (Basic, or Basic to the token service for a Bearer token).
 */
export async function registryHasManifest(
  ref: string,
  opts: RegistryOptions = {},
): Promise<boolean> {
  const parsed = parseImageRef(ref);
  const doFetch = opts.fetch ?? fetch;
  const registry = parsed.registry ?? 'docker.io';
  const base = registryBaseUrl(parsed.registry);
  const repository =
    !parsed.registry && !parsed.repository.includes('/')
      ? `library/${parsed.repository}`
      : parsed.repository;
  const url = `${base}/v2/${repository}/manifests/${parsed.digest ?? parsed.tag ?? 'latest'}`;
  const accept = { Accept: MANIFEST_TYPES.join(', ') };
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  let search: CredentialSearch | undefined;
  try {
    const ask = async (auth: Record<string, string>) => {
      let res = await doFetch(url, { method: 'HEAD', headers: { ...accept, ...auth }, signal });
      if (res.status === 405)
        res = await doFetch(url, { method: 'GET', headers: { ...accept, ...auth }, signal });
      await res.body?.cancel();
      return res;
    };
    let res = await ask({});
    // Anonymous first, like the engines; a 403 may still be an anonymous user's, so log in too.
    if (res.status === 401 || res.status === 403) {
      const challenge = res.headers.get('www-authenticate') ?? '';
      search = (await opts.credentials?.(registry, repository)) ?? { searched: [] };
      const c = search.credentials;
      const basic: Record<string, string> =
        c && !c.identityToken
          ? {
              Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
            }
          : {};
      if (/^bearer/i.test(challenge)) {
        const got = await bearerToken(
          challenge,
          repository,
          doFetch,
          basic,
          c?.identityToken,
          signal,
        );
        if (got.token) res = await ask({ Authorization: `Bearer ${got.token}` });
        else if (got.status === 401 || got.status === 403)
          throw refusal(got.status, registry, ref, search);
        else if (got.status >= 500) res = new Response(null, { status: got.status });
      } else if (basic.Authorization) {
        res = await ask(basic);
      }
    }
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    if (res.status === 401 || res.status === 403) throw refusal(res.status, registry, ref, search);
    throw new RegistryUnavailableError(`${registry} answered ${res.status} for ${ref}`);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new RegistryUnavailableError(
      `${registry} could not be reached for ${ref} (${unreachableReason(error, timeoutMs)})`,
      { cause: error },
    );
  }
}
