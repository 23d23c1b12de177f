import { describe, expect, it } from 'vitest';
import { listTags, nextPage } from './registry-tags';

describe('listTags', () => {
  it('follows the Link pages until the last', async () => {
    const seen: string[] = [];
    const pages: Record<string, [string[], string | undefined]> = {
      '/v2/ns/app/tags/list?n=1000': [
        ['a', 'b'],
        '</v2/ns/app/tags/list?n=1000&last=b>; rel="next"',
      ],
      '/v2/ns/app/tags/list?n=1000&last=b': [['c'], undefined],
    };
    const f = (async (input: string | URL) => {
      const url = new URL(String(input));
      seen.push(`${url.pathname}${url.search}`);
      const page = pages[`${url.pathname}${url.search}`];
      if (!page) return new Response(null, { status: 404 });
      return new Response(JSON.stringify({ name: 'ns/app', tags: page[0] }), {
        status: 200,
        headers: page[1] ? { link: page[1] } : {},
      });
    }) as typeof fetch;
    expect(await listTags('127.0.0.1:5000/ns/app', { fetch: f })).toEqual(['a', 'b', 'c']);
    expect(seen).toHaveLength(2);
  });

  it('a repository the registry does not know has no tags', async () => {
    const f = (async () => new Response('{"errors":[]}', { status: 404 })) as typeof fetch;
    expect(await listTags('127.0.0.1:5000/ns/none', { fetch: f })).toEqual([]);
  });

  it('a 500 is an unavailable registry, not an empty repository', async () => {
    const f = (async () => new Response(null, { status: 500 })) as typeof fetch;
    await expect(listTags('127.0.0.1:5000/ns/app', { fetch: f })).rejects.toThrow(
      /127\.0\.0\.1:5000 answered 500 for 127\.0\.0\.1:5000\/ns\/app/,
    );
  });
});

describe('nextPage', () => {
  it('reads a relative or absolute next link of the same repository', () => {
    expect(nextPage('</v2/ns/app/tags/list?n=2&last=b>; rel="next"', 'ns/app')).toBe(
      'tags/list?n=2&last=b',
    );
    expect(nextPage('<http://127.0.0.1:5000/v2/ns/app/tags/list?last=x>; rel=next', 'ns/app')).toBe(
      'tags/list?last=x',
    );
  });

  it('no link, or a link to another repository, ends the listing', () => {
    expect(nextPage(null, 'ns/app')).toBeUndefined();
    expect(nextPage('</v2/other/tags/list?last=b>; rel="next"', 'ns/app')).toBeUndefined();
  });
});
