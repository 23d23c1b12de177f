import { normalizeName } from './normalize-name';

/** What a package index says of one project: it has it, it has not, or it could not tell. */
export type IndexAnswer = 'found' | 'missing' | 'unknown';

/** Asks one index about one project; a test passes a fake, Poetry's failure path the real one. */
export type AskIndex = (indexUrl: string, name: string) => Promise<IndexAnswer>;

/**
 * Ask a "simple" index for a project's page: `<index>/<normalized name>/`, preferring PEP 691's
 * JSON and accepting PEP 503's HTML (https://peps.python.org/pep-0691/#version-format-selection).
 * 404 or 410 means the index has no such project; any other failure says nothing.
 */
export const askIndex: AskIndex = async (indexUrl, name) => {
  const { url, headers } = withoutCredentials(
    `${indexUrl.replace(/\/*$/, '/')}${normalizeName(name)}/`,
  );
  try {
    const res = await fetch(url, {
      headers: {
        ...headers,
        Accept:
          'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01',
      },
      signal: AbortSignal.timeout(5_000),
    });
    await res.body?.cancel(); // the answer is the status; a big project's page is not read
    if (res.ok) return 'found';
    return res.status === 404 || res.status === 410 ? 'missing' : 'unknown';
  } catch {
    return 'unknown';
  }
};

/** fetch refuses a URL with credentials: they travel as a Basic Authorization header instead. */
function withoutCredentials(raw: string): { url: string; headers: Record<string, string> } {
  const u = new URL(raw);
  if (!u.username && !u.password) return { url: raw, headers: {} };
  const auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
  u.username = '';
  u.password = '';
  return {
    url: u.toString(),
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` },
  };
}

/** An index URL fit for a message: never its credentials. */
export function displayIndex(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}
