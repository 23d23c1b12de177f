import type { CredentialSearch, RegistryCredentials } from './registry-credentials';
import { RegistryAuthError } from './registry-errors';

/** What a request asks of a repository: a token is scoped to exactly this. */
export type RegistryAccess = 'pull' | 'pull,push' | 'delete';

/** `WWW-Authenticate: Bearer realm="...",service="..."` as a map. */
export function challengeParams(challenge: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
  return params;
}

/** The Basic header for a password login; none for an identity token or no login. */
export function basicAuth(c: RegistryCredentials | undefined): Record<string, string> {
  if (!c || c.identityToken) return {};
  return {
    Authorization: `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`,
  };
}

/**
 * The token for a `WWW-Authenticate: Bearer realm=...` challenge, scoped to `repository:<name>:<access>`
 * (a pull token cannot push: https://distribution.github.io/distribution/spec/auth/scope/): a GET
 * with Basic auth or none, or with an identity token the OAuth2 refresh-token POST
 * (https://distribution.github.io/distribution/spec/auth/oauth/).
 */
export async function bearerToken(
  challenge: string,
  repository: string,
  access: RegistryAccess,
  credentials: RegistryCredentials | undefined,
  doFetch: typeof fetch,
  signal: AbortSignal,
): Promise<{ token?: string; status: number }> {
  const params = challengeParams(challenge);
  if (!params.realm) return { status: 401 };
  const url = new URL(params.realm);
  const scope = `repository:${repository}:${access}`;
  let res: Response;
  if (credentials?.identityToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      service: params.service ?? '',
      scope,
      client_id: 'imagesmith',
    });
    res = await doFetch(url, { method: 'POST', body: form, signal });
  } else {
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', scope);
    res = await doFetch(url, { headers: basicAuth(credentials), signal });
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { status: res.status };
  }
  const body = (await res.json()) as { token?: string; access_token?: string };
  return { token: body.token ?? body.access_token, status: res.status };
}

/** The error for a 401/403: what was tried (never the secret) and the login command that fixes it. */
export function refusal(
  status: number,
  registry: string,
  ref: string,
  search: CredentialSearch | undefined,
  access: RegistryAccess = 'pull',
): RegistryAuthError {
  const login = `run \`imagesmith login ${registry}\` (or \`docker login ${registry}\`)`;
  const verb = access === 'pull' ? 'pull' : access === 'delete' ? 'delete from' : 'push to';
  const creds = search?.credentials;
  const why = !creds
    ? `and no credentials for ${registry} are configured (searched ${(search?.searched ?? []).join(', ') || 'nothing'}): ${login}`
    : status === 403
      ? `: the login from ${creds.source} (user ${creds.username}) may not ${verb} this repository; ${login} as a user that may`
      : `: it refused the login from ${creds.source} (user ${creds.username}); ${login} again`;
  return new RegistryAuthError(
    `registry ${registry} answered ${status} for ${ref} ${why}`,
    registry,
    status,
  );
}
