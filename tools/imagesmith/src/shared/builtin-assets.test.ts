import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAssetsDir, builtinUnder } from './builtin-assets';

const REPO = join(__dirname, '..', '..', '..', '..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A team's workspace with the packed package installed: its package.json, dist/ and assets/. */
function installed(): { ws: string; pkg: string } {
  const ws = mkdtempSync(join(tmpdir(), 'imagesmith-installed-'));
  dirs.push(ws);
  const pkg = join(ws, 'node_modules/@imagesmith/nx-plugin');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  mkdirSync(join(pkg, 'assets/profiles/cpu'), { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({ name: '@imagesmith/nx-plugin', bin: { imagesmith: './bin/imagesmith.cjs' } }),
  );
  writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'team', private: true }));
  return { ws, pkg };
}

describe('builtinAssetsDir', () => {
  it("is this repository's root when running from its sources (no assets/)", () => {
    expect(builtinAssetsDir()).toBe(REPO);
  });

  it("is the installed package's assets/ when running from its prebuilt dist/", () => {
    const { pkg } = installed();
    expect(builtinAssetsDir(join(pkg, 'dist'))).toBe(join(pkg, 'assets'));
  });

  it("is the installed package's assets/ from a bundle under the workspace's node_modules/.cache", () => {
    const { ws, pkg } = installed();
    const cache = join(ws, 'node_modules/.cache/imagesmith/bundles-0123456789ab');
    mkdirSync(cache, { recursive: true });
    expect(builtinAssetsDir(cache)).toBe(join(pkg, 'assets'));
  });

  it('layers nothing under a workspace whose own folders are the built-ins (this repository)', () => {
    expect(builtinUnder(REPO, REPO)).toBeUndefined();
    expect(builtinUnder('/tmp/team', REPO)).toBe(REPO);
  });
});
