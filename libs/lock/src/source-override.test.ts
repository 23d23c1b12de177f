import { describe, expect, it } from 'vitest';
import { lockContentHash, poetryContentHash } from './content-hash';
import { restoreSource, sourceUrl, withSourceUrl } from './source-override';

const PYPROJECT =
  '[tool.poetry.dependencies]\npython = ">=3.11,<3.12"\nb = "*"\n\n' +
  '[[tool.poetry.source]]\nname = "pypi-simple"\nurl = "https://pypi.org/simple/"\npriority = "primary"\n';
const MIRROR = 'http://127.0.0.1:3141/root/pypi/+simple/';
const lockFrom = (url: string, hash: string) =>
  `[[package]]\nname = "b"\nversion = "1.0"\n\n[package.source]\ntype = "legacy"\nurl = "${url}"\nreference = "pypi-simple"\n\n` +
  `[metadata]\nlock-version = "2.1"\ncontent-hash = "${hash}"\n`;

describe('source overrides', () => {
  it('replaces only the named source URL of the pyproject Poetry runs on', () => {
    const mirrored = withSourceUrl(PYPROJECT, 'pypi-simple', MIRROR);
    expect(sourceUrl(mirrored, 'pypi-simple')).toBe(MIRROR);
    expect(withSourceUrl(PYPROJECT, 'other', MIRROR)).toBe(PYPROJECT);
  });

  it('restates a lock made through the mirror as one made from the committed pyproject', () => {
    const mirrored = withSourceUrl(PYPROJECT, 'pypi-simple', MIRROR);
    const made = lockFrom(MIRROR.replace(/\/$/, ''), poetryContentHash(mirrored));
    const restored = restoreSource(made, PYPROJECT, { name: 'pypi-simple', url: MIRROR });
    expect(restored).toBe(lockFrom('https://pypi.org/simple', poetryContentHash(PYPROJECT)));
    expect(lockContentHash(restored)).not.toBe(lockContentHash(made));
  });
});
