/**
 * Invariants of the committed catalogue, read from the catalogue itself (images/*\/image.yaml,
 * profiles/, the committed generated files, images/README.md). These are the catalogue's own
 * tests: the tool's tests use fixtures and pass in a fork with other images (fork-check.sh): nothing here restates which images exist,
 * so adding, removing or re-basing an image needs no edit here, while a broken spec, generator or
 * stale generated file fails.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsHadolint } from '../../../libs/core/test-support/hadolint';
import {
  fsReader,
  loadWorkspace,
  renderCatalogueTable,
  resolveVariants,
  TABLE_END,
  TABLE_START,
} from '@imagesmith/core';
import { checkLockAgreement, parseLock } from '@imagesmith/lock';
import { generate } from '../../imagesmith/src/workflows/generate/generate';
import { catalogueRowFacts, lockProblems, readAcceleratorData, readLocks } from '@imagesmith/plan';
import { lintImages } from '../../imagesmith/src/workflows/generate/lint';

/**
 * The one product fact stated here: the core images (the first source of the catalogue, see
 * README) are component images of one project that all build FROM python-base, so it is the root
 * of their tree and must stay a root with children.
 */
const CORE_ROOT = 'python-base';

const ROOT = join(__dirname, '..', '..', '..');
// Throws a SpecError listing every invalid spec, profile or template: the first invariant.
const ws = loadWorkspace(ROOT);
const readme = readFileSync(join(ROOT, 'images/README.md'), 'utf8');
const folders = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const imagesOnDisk = folders('images');
const images = [...ws.specs.keys()].sort();
const locks = readLocks(ws, fsReader(ROOT));
const variants = images.flatMap((image) => resolveVariants(ws, image));
// What `imagesmith generate --check` renders afresh, compared with the committed files.
const whole = generate(ROOT, { check: true });
const lockOf = (outDir: string) =>
  existsSync(join(ROOT, outDir, 'poetry.lock'))
    ? parseLock(readFileSync(join(ROOT, outDir, 'poetry.lock'), 'utf8'))
    : undefined;

function filesNamed(dir: string, name: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name === name)
    .map((d) => relative(ROOT, join(d.parentPath, d.name)))
    .sort();
}

describe('the committed catalogue', () => {
  it('has one valid spec per folder under images/', () => {
    expect(images.length).toBeGreaterThan(0);
    expect(images).toEqual(imagesOnDisk);
  });

  it('uses only the profiles under profiles/, and loads every one of them', () => {
    expect([...ws.profiles.keys()].sort()).toEqual(folders('profiles'));
    for (const { spec } of ws.specs.values()) expect(ws.profiles.has(spec.profile)).toBe(true);
  });

  it('bases images on catalogue images that exist, or on external images pinned by tag or digest', () => {
    for (const v of variants) {
      const base = v.spec.base;
      if (v.from.kind === 'catalogue') {
        expect(ws.specs.has(v.ancestors[0]!), `${v.name}: base ${base}`).toBe(true);
        expect(v.ancestors[0]).toBe(base);
      } else {
        expect(ws.specs.has(base ?? ''), `${v.name}: base ${base} is an image`).toBe(false);
        expect(v.from.ref, `${v.name}: external base`).toMatch(/[:@]/);
      }
    }
  });

  it('forms a tree: following base from any image ends at an external image, never in a cycle', () => {
    for (const image of images) {
      const seen = [image];
      let base = ws.specs.get(image)!.spec.base;
      while (base !== undefined && ws.specs.has(base)) {
        expect(seen, `${image}: base chain ${[...seen, base].join(' -> ')}`).not.toContain(base);
        seen.push(base);
        base = ws.specs.get(base)!.spec.base;
      }
      const root = resolveVariants(ws, seen.at(-1)!)[0]!;
      expect(root.from.kind, `${image}: the root ${root.image}`).toBe('external');
    }
  });

  it(`roots the core tree at ${CORE_ROOT}`, () => {
    expect(resolveVariants(ws, CORE_ROOT)[0]!.from.kind).toBe('external');
    expect(variants.filter((v) => v.ancestors.includes(CORE_ROOT)).length).toBeGreaterThan(0);
  });

  it.each(images)('generates %s: a Dockerfile and a pyproject.toml per variant', (image) => {
    const { unchanged, drifted } = generate(ROOT, { images: [image], check: true });
    for (const v of resolveVariants(ws, image)) {
      expect([...unchanged, ...drifted]).toContain(`${v.outDir}/Dockerfile`);
      expect([...unchanged, ...drifted]).toContain(`${v.outDir}/pyproject.toml`);
    }
  });

  it('has a committed Dockerfile for exactly the variants the specs define', () => {
    expect(filesNamed('images', 'Dockerfile')).toEqual(
      variants.map((v) => `${v.outDir}/Dockerfile`).sort(),
    );
  });

  it.each(variants.map((v) => `${v.outDir}/Dockerfile`))('%s is a fresh render', (path) => {
    expect(whole.drifted).not.toContain(path);
    expect(whole.unchanged).toContain(path);
  });

  it('builds each child FROM its parent and each root FROM its external base', () => {
    for (const v of variants) {
      const dockerfile = readFileSync(join(ROOT, v.outDir, 'Dockerfile'), 'utf8');
      const arg = /^ARG BASE_IMAGE=(.+)$/m.exec(dockerfile)?.[1];
      if (v.from.kind === 'catalogue') expect(arg, v.name).toContain(`/${v.from.image}:`);
      else expect(arg, v.name).toBe(v.from.ref);
    }
  });

  it('lists exactly the images on disk in the images/README.md table, as generate renders it', () => {
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const table = readme.slice(start, end + TABLE_END.length);
    const listed = [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(imagesOnDisk);
    const inputs = {
      ws,
      locks,
      repository: 'unused',
      accelerators: readAcceleratorData(ws.profiles.keys(), fsReader(ROOT)),
    };
    const facts = new Map(images.map((image) => [image, catalogueRowFacts(inputs, image)]));
    expect(table).toBe(renderCatalogueTable(ws, facts));
  });

  it('is generated: regenerating changes no file', () => {
    expect(whole.drifted).toEqual([]);
  });

  it('lints clean', (ctx) => {
    needsHadolint(ctx);
    expect(lintImages(ROOT).findings).toEqual([]);
  });

  it('locks at least 12 of its images, each fresh and installable from wheels or declared builds', () => {
    const locked = images.filter((image) =>
      resolveVariants(ws, image).every((v) => locks.has(v.outDir)),
    );
    expect(locked.length, `locked: ${locked.join(', ')}`).toBeGreaterThanOrEqual(12);
    // Stale or uninstallable (a package with no wheel and no build_packages opt-in) fails here.
    expect(
      lockProblems({ ws, locks, repository: 'unused' }, locked, { installable: true }),
    ).toEqual([]);
  });

  it('has parents and children agreeing on every shared locked package', () => {
    let pairs = 0;
    for (const v of variants) {
      if (v.from.kind !== 'catalogue') continue;
      const parent = resolveVariants(ws, v.ancestors[0]!)[0]!;
      const [child, mine] = [lockOf(v.outDir), lockOf(parent.outDir)];
      if (!child || !mine) continue;
      pairs += 1;
      expect(
        checkLockAgreement({ image: parent.name, pkgs: mine }, { image: v.name, pkgs: child }),
      ).toEqual([]);
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('installs only hash-checked, locked packages in every Dockerfile', () => {
    for (const v of variants) {
      const dockerfile = readFileSync(join(ROOT, v.outDir, 'Dockerfile'), 'utf8');
      for (const line of dockerfile.split('\n').filter((l) => /pip install/.test(l))) {
        expect(line).toMatch(
          /--require-hashes --no-deps (--prefix=\/opt\/child-layer )?-r \/tmp\/(uv-)?requirements(-dev)?\.txt/,
        );
      }
      // uv, which installs the lock in a builder, is itself pinned with a hash per Linux wheel.
      if (dockerfile.includes('/tmp/uv-requirements.txt'))
        expect(dockerfile).toMatch(
          /printf '%s ' uv==[\d.]+ \\\n(\s+--hash=sha256:[0-9a-f]{64} \\\n)+/,
        );
      if (lockOf(v.outDir))
        expect(readFileSync(join(ROOT, v.outDir, 'requirements.txt'), 'utf8')).toMatch(
          /--hash=sha256:/,
        );
    }
  });
});
