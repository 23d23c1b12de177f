/**
 * Where test code may live. A file under libs/<lib>/src or tools/imagesmith/src is an input of
 * every image (nx.json's `imagesmithCode`) and of the CLI's bundles, so a test helper there makes a
 * fixture edit rebuild the world: helpers live in libs/<lib>/test-support, test/support or
 * tools/testkit. The benchmarks share tools/testkit with the tests, never test/support.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compilerOptions,
  importsOf,
  productEntries,
  reachable,
  sourceFiles,
} from './support/import-graph';
import { REPO } from '../tools/testkit/temp-workspace';

const IMAGE_INPUTS = [
  'libs/core/src',
  'libs/lock/src',
  'libs/plan/src',
  'libs/engine/src',
  'tools/imagesmith/src',
];

/** The files under `dirs` that import anything under `forbidden`, with what they import. */
function importsUnder(dirs: string[], forbidden: string): string[] {
  const options = compilerOptions(REPO);
  return dirs.flatMap((dir) =>
    sourceFiles(REPO, dir).flatMap((file) =>
      importsOf(join(REPO, file), options)
        .map((target) => relative(REPO, target))
        .filter((target) => target.startsWith(`${forbidden}/`))
        .map((target) => `${file} imports ${target}`),
    ),
  );
}

describe('source layout', () => {
  it('every non-test file under an image input is reached from a product entry point', () => {
    const product = reachable(REPO, productEntries(REPO));
    const testOnly = IMAGE_INPUTS.flatMap((dir) => sourceFiles(REPO, dir)).filter(
      (f) => !f.endsWith('.test.ts') && !product.has(f),
    );
    expect(
      testOnly,
      'move test helpers out of src/ (to libs/<lib>/test-support or tools/testkit)',
    ).toEqual([]);
  });

  it('the entry points exist (the check above would pass vacuously otherwise)', () => {
    const entries = productEntries(REPO);
    expect(entries).toContain('libs/core/src/index.ts');
    expect(entries).toContain('tools/imagesmith/src/cli/main.ts');
    expect(reachable(REPO, entries).size).toBeGreaterThan(100);
  });

  it('the benchmarks and the shared testkit import nothing from test/', () => {
    expect(importsUnder(['tools/bench', 'tools/testkit'], 'test')).toEqual([]);
  });
});
