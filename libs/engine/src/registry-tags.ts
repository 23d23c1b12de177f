import { registryLocation } from './parse-image-ref';
import type { RegistryOptions } from './registry-api';
import { registrySender, unexpected, withinDeadline } from './registry-request';

/** Tags per page: registries cap `n` (distribution at 1000 by default) and send a Link header for more. */
const PAGE = 1000;

/**
 * Every tag of `repository` (`registry/name`, no tag), in the registry's order, following the
 * `Link: <...>; rel="next"` pages (https://distribution.github.io/distribution/spec/api/#listing-image-tags).
 * A repository the registry does not know (404) has no tags.
 */
export function listTags(repository: string, opts: RegistryOptions = {}): Promise<string[]> {
  const ref = `${repository}:latest`;
  const loc = registryLocation(ref);
  const send = registrySender(opts);
  return withinDeadline(loc.registry, repository, opts.timeoutMs, async (signal) => {
    const tags: string[] = [];
    let path: string | undefined = `tags/list?n=${PAGE}`;
    while (path) {
      const res = await send(loc, repository, { method: 'GET', path }, signal);
      if (res.status === 404) {
        await res.body?.cancel();
        return tags;
      }
      if (res.status !== 200) {
        await res.body?.cancel();
        throw unexpected(res.status, loc.registry, repository);
      }
      const body = (await res.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      path = nextPage(res.headers.get('link'), loc.repository);
    }
    return tags;
  });
}

/** The path under /v2/<name>/ of the next page a Link header names, or undefined on the last page. */
export function nextPage(link: string | null, repository: string): string | undefined {
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '');
  if (!m) return undefined;
  const url = new URL(m[1]!, 'http://registry.example');
  const prefix = `/v2/${repository}/`;
  if (!url.pathname.startsWith(prefix)) return undefined;
  return `${url.pathname.slice(prefix.length)}${url.search}`;
}
