import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockContentHash, poetryContentHash, pythonJsonDumps } from './content-hash';

const IMAGES = join(__dirname, '..', '..', '..', 'images');
const read = (path: string) => readFileSync(join(IMAGES, path), 'utf8');

describe('poetryContentHash', () => {
  it('equals the content-hash Poetry wrote into a committed lock', () => {
    for (const image of ['python-base', 'fastapi-serve']) {
      expect(poetryContentHash(read(`${image}/pyproject.toml`))).toBe(
        lockContentHash(read(`${image}/poetry.lock`)),
      );
    }
  });

  it('ignores the header comment and name, and sees a dependency change', () => {
    const pyproject = read('python-base/pyproject.toml');
    const hash = poetryContentHash(pyproject);
    expect(
      poetryContentHash(pyproject.replace(/^#.*\n/, '').replace('python-base-image', 'x')),
    ).toBe(hash);
    expect(
      poetryContentHash(pyproject.replace('pip-licenses = "^5.0"', 'pip-licenses = "^5.1"')),
    ).not.toBe(hash);
  });

  it('hashes [project] and non-ASCII text as Poetry 2.5.1 does', () => {
    // Expected value printed by Poetry 2.5.1: Locker(path, tomllib.load(f))._content_hash
    const pyproject = [
      '[project]',
      'name = "x"',
      'requires-python = ">=3.11"',
      `dependencies = ["attrs>=23", "naïve-pkg; python_version < '4'"]`,
      '',
      '[tool.poetry]',
      'package-mode = false',
      '',
      '[tool.poetry.group.dev.dependencies]',
      'pytest = { version = "^8", optional = true }',
      '',
    ].join('\n');
    expect(poetryContentHash(pyproject)).toBe(
      '113692387c589d36f39a885b189aafc2731547ea78daacc02d063e500b2fba41',
    );
  });
});

describe('pythonJsonDumps', () => {
  it('sorts keys at every level and escapes like json.dumps(ensure_ascii=True)', () => {
    expect(pythonJsonDumps({ b: [1, true, null], a: { d: 'é\u007f', c: '"' } })).toBe(
      '{"a": {"c": "\\"", "d": "\\u00e9\\u007f"}, "b": [1, true, null]}',
    );
  });
});

describe('lockContentHash', () => {
  it('reads [metadata] content-hash, undefined without one', () => {
    expect(lockContentHash('[metadata]\nlock-version = "2.1"\ncontent-hash = "ab12"\n')).toBe(
      'ab12',
    );
    expect(lockContentHash('[[package]]\nname = "a"\n')).toBeUndefined();
  });
});
