import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainPoetryFailure } from './poetry-failure';
import { findMissingPackages, MissingPackageError } from './missing-packages';
import { askIndex, type IndexAnswer } from './package-index';
import { oneEditVariants, suggestPackage } from './suggest-package';

// Poetry 2.5's words for a dependency no index has, and for one without a matching version.
const TYPO = `Resolving dependencies...

Because x-image depends on orjsno (>=3) which doesn't match any versions, version solving failed.`;
const PYPROJECT = `[tool.poetry.dependencies]
python = ">=3.11,<3.12"
orjsno = ">=3"
torch = { version = "2.3.1", source = "pytorch-cpu" }

[[tool.poetry.source]]
name = "pypi-simple"
url = "http://user:secret@127.0.0.1:1/simple/"
priority = "primary"

[[tool.poetry.source]]
name = "pytorch-cpu"
url = "http://127.0.0.1:2/whl/cpu"
priority = "explicit"
`;

/** A fake index: which projects each index URL has; every question is recorded. */
function fakeIndex(projects: Record<string, string[]>) {
  const asked: string[] = [];
  const ask = async (index: string, name: string): Promise<IndexAnswer> => {
    asked.push(`${index} ${name}`);
    const has = projects[index];
    if (!has) return 'unknown';
    return has.includes(name) ? 'found' : 'missing';
  };
  return { ask, asked };
}

describe('a package no index has', () => {
  const pypi = 'http://user:secret@127.0.0.1:1/simple/';

  it('is told apart from a constraint conflict by asking its index, with a suggestion', async () => {
    const { ask } = fakeIndex({ [pypi]: ['orjson'] });
    const missing = await findMissingPackages(TYPO, PYPROJECT, { ask });
    // The index is named without its credentials.
    expect(missing).toEqual([
      { name: 'orjsno', indexes: ['http://127.0.0.1:1/simple/'], suggestion: 'orjson' },
    ]);
  });

  it('suggests from the names the workspace already uses before asking the index', async () => {
    const { ask, asked } = fakeIndex({ [pypi]: [] });
    const [m] = await findMissingPackages(TYPO, PYPROJECT, { ask, known: () => ['orjson'] });
    expect(m?.suggestion).toBe('orjson');
    expect(asked).toEqual([`${pypi} orjsno`]);
  });

  it('asks a bounded number of variants and suggests nothing when none exists', async () => {
    const { ask, asked } = fakeIndex({ [pypi]: [] });
    const [m] = await findMissingPackages(TYPO, PYPROJECT, { ask });
    expect(m?.suggestion).toBeUndefined();
    expect(asked.length).toBeLessThanOrEqual(25);
  });

  it('is not claimed when the package exists (no matching version) or the index cannot tell', async () => {
    expect(await findMissingPackages(TYPO, PYPROJECT, fakeIndex({ [pypi]: ['orjsno'] }))).toEqual(
      [],
    );
    expect(await findMissingPackages(TYPO, PYPROJECT, fakeIndex({}))).toEqual([]);
  });

  it('is looked up on the explicit source its dependency names', async () => {
    const { ask, asked } = fakeIndex({ 'http://127.0.0.1:2/whl/cpu': [] });
    const out = TYPO.replace('orjsno (>=3)', 'torch (2.3.1)');
    const [m] = await findMissingPackages(out, PYPROJECT, { ask });
    expect(m?.indexes).toEqual(['http://127.0.0.1:2/whl/cpu']);
    expect(asked[0]).toBe('http://127.0.0.1:2/whl/cpu torch');
  });

  it('turns the failed lock into a MissingPackageError naming package, index and guess', async () => {
    const error = await explainPoetryFailure(TYPO, {
      dir: 'images/x',
      sources: [],
      pyproject: PYPROJECT,
      ask: fakeIndex({ [pypi]: ['orjson'] }).ask,
    });
    expect(error).toBeInstanceOf(MissingPackageError);
    expect(error.message).toMatch(
      /^no such package `orjsno` on http:\/\/127\.0\.0\.1:1\/simple\/ \(while locking images\/x\)/,
    );
    expect(error.hint).toMatch(/^did you mean `orjson`\?/);
    expect(error.message).not.toMatch(/Relax the conflicting constraints|secret/);
  });

  it('still reports a real constraint conflict as one', async () => {
    const error = await explainPoetryFailure(TYPO, {
      dir: 'images/x',
      sources: [],
      pyproject: PYPROJECT,
      ask: fakeIndex({ [pypi]: ['orjsno'] }).ask,
    });
    expect(error).not.toBeInstanceOf(MissingPackageError);
    expect(error.hint).toMatch(/Relax the conflicting constraints/);
  });
});

describe('suggestPackage', () => {
  it('tries swapped letters first, then a letter too many', () => {
    expect(oneEditVariants('abc')).toEqual(['bac', 'acb', 'bc', 'ac', 'ab']);
  });

  it('ignores known names too far off', async () => {
    const exists = async () => false;
    expect(await suggestPackage('orjsno', { known: ['numpy'], exists })).toBeUndefined();
  });
});

describe('askIndex (PEP 691 / PEP 503 project page)', () => {
  let server: Server;
  let url = '';
  const seen: { path: string; accept?: string; auth?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ path: req.url!, accept: req.headers.accept, auth: req.headers.authorization });
      if (req.url === '/simple/orjson/') {
        res.setHeader('Content-Type', 'application/vnd.pypi.simple.v1+json');
        res.end('{"meta":{"api-version":"1.0"},"name":"orjson","files":[]}');
      } else if (req.url === '/simple/broken/') {
        res.statusCode = 500;
        res.end();
      } else {
        res.statusCode = 404;
        res.end('not found');
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://u:p%40ss@127.0.0.1:${(server.address() as { port: number }).port}/simple`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('answers found, missing or unknown, asking for the normalized name with credentials as a header', async () => {
    expect(await askIndex(url, 'OrJSON')).toBe('found');
    expect(await askIndex(url, 'orjsno')).toBe('missing');
    expect(await askIndex(url, 'broken')).toBe('unknown');
    expect(await askIndex('http://127.0.0.1:1/simple/', 'orjson')).toBe('unknown');
    expect(seen[0]).toMatchObject({
      path: '/simple/orjson/',
      auth: `Basic ${Buffer.from('u:p@ss').toString('base64')}`,
    });
    expect(seen[0]!.accept).toMatch(/^application\/vnd\.pypi\.simple\.v1\+json/);
  });
});
