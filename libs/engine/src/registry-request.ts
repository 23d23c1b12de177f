import { EngineError } from './errors';
import type { RegistryLocation } from './parse-image-ref';
import { registryBaseUrl, DEFAULT_REGISTRY_TIMEOUT_MS, type RegistryOptions } from './registry-api';
import { basicAuth, bearerToken, refusal, type RegistryAccess } from './registry-auth';
import type { CredentialSearch } from './registry-credentials';
import { RegistryUnavailableError, unreachableReason } from './registry-errors';

/** One HTTP request under `/v2/<repository>/`. */
export interface RegistryCall {
  method: 'HEAD' | 'GET' | 'PUT' | 'DELETE';
  /** e.g. `manifests/<tag>`, `blobs/<digest>`. */
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** The token scope it needs (pull unless it writes). */
  access?: RegistryAccess;
}

/** Sends a call for `ref` (named in errors) within an operation's deadline. */
export type RegistrySend = (
  loc: RegistryLocation,
  ref: string,
  call: RegistryCall,
  signal: AbortSignal,
) => Promise<Response>;

/**
 * Requests as the engines make them: anonymous first; on a 401/403 challenge the engine's own
 * login (asked once per repository), as Basic auth or for a Bearer token scoped to what the call
 * needs. The header that worked is kept per repository and scope, so the manifest, config and
 * copy requests of one operation are challenged once.
 */
export function registrySender(opts: RegistryOptions = {}): RegistrySend {
  const doFetch = opts.fetch ?? fetch;
  const searches = new Map<string, Promise<CredentialSearch>>();
  const granted = new Map<string, Record<string, string>>();
  const credentialsFor = (registry: string, repository: string) => {
    const key = `${registry}/${repository}`;
    let search = searches.get(key);
    if (!search)
      searches.set(
        key,
        (search = opts.credentials?.(registry, repository) ?? Promise.resolve({ searched: [] })),
      );
    return search;
  };
  return async (loc, ref, call, signal) => {
    const access = call.access ?? 'pull';
    const key = `${loc.registry}/${loc.repository} ${access}`;
    const url = `${registryBaseUrl(loc.registry)}/v2/${loc.repository}/${call.path}`;
    const go = (auth: Record<string, string>) =>
      doFetch(url, {
        method: call.method,
        headers: { ...call.headers, ...auth },
        body: call.body as BodyInit | undefined,
        signal,
      });
    let res = await go(granted.get(key) ?? {});
    if (res.status !== 401 && res.status !== 403) return res;
    // A 403 may still be an anonymous user's: log in too, like the engines.
    const challenge = res.headers.get('www-authenticate') ?? '';
    await res.body?.cancel();
    const search = await credentialsFor(loc.registry, loc.repository);
    let auth: Record<string, string>;
    if (/^bearer/i.test(challenge)) {
      const got = await bearerToken(
        challenge,
        loc.repository,
        access,
        search.credentials,
        doFetch,
        signal,
      );
      if (!got.token && got.status >= 500) throw unexpected(got.status, loc.registry, ref);
      if (!got.token) throw refusal(got.status, loc.registry, ref, search, access);
      auth = { Authorization: `Bearer ${got.token}` };
    } else {
      auth = basicAuth(search.credentials);
      if (!auth.Authorization) throw refusal(res.status, loc.registry, ref, search, access);
    }
    res = await go(auth);
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw refusal(res.status, loc.registry, ref, search, access);
    }
    granted.set(key, auth);
    return res;
  };
}

/** An answer that says neither yes nor no (5xx, 429...): the registry could not tell. */
export function unexpected(
  status: number,
  registry: string,
  ref: string,
): RegistryUnavailableError {
  return new RegistryUnavailableError(`${registry} answered ${status} for ${ref}`, { status });
}

/**
 * Runs one registry operation under one deadline (every request and body read in it): a timeout
 * or a failed connection becomes RegistryUnavailableError naming the registry and the reference.
 */
export async function withinDeadline<T>(
  registry: string,
  ref: string,
  timeoutMs: number = DEFAULT_REGISTRY_TIMEOUT_MS,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await operation(signal);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    const reason = unreachableReason(error, timeoutMs);
    throw new RegistryUnavailableError(`${registry} could not be reached for ${ref} (${reason})`, {
      cause: error,
      reason,
    });
  }
}
