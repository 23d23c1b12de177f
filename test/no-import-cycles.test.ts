/**
 * No module of the product imports itself back, through any chain (issue 16: build <->
 * describe-build and plan-generation -> lock-problems -> plan-generation were such cycles). A
 * cycle makes the order modules load in decide what is defined, and ties files that should move
 * apart. Type-only imports count: they tie the files as much. Imports resolve as tsc resolves them
 * (test/support/import-graph.ts), so `@imagesmith/<lib>` lands on the library's entry point.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilerOptions, importsOf, sourceFiles } from './support/import-graph';
import { REPO } from '../tools/testkit/temp-workspace';

const PRODUCT = [
  ...readdirSync(join(REPO, 'libs')).map((lib) => `libs/${lib}/src`),
  'tools/imagesmith/src',
];

/** file -> the product files it imports (workspace-relative), test files left out. */
function importGraph(root: string, dirs: string[]): Map<string, string[]> {
  const options = compilerOptions(root);
  const files = dirs.flatMap((d) => sourceFiles(root, d)).filter((f) => !f.endsWith('.test.ts'));
  const inProduct = new Set(files);
  return new Map(
    files.map((f) => [
      f,
      importsOf(join(root, f), options)
        .map((t) => relative(root, t))
        .filter((t) => inProduct.has(t)),
    ]),
  );
}

/** Each import cycle found by a depth-first walk, as the chain of files that closes it. */
function importCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (file: string): void => {
    path.push(file);
    onPath.add(file);
    for (const next of graph.get(file) ?? []) {
      if (onPath.has(next)) cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    onPath.delete(file);
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  it('no product module reaches itself through its imports', () => {
    const graph = importGraph(REPO, PRODUCT);
    expect(graph.size, 'the walk found the product files').toBeGreaterThan(200);
    expect(importCycles(graph).map((chain) => chain.join(' -> '))).toEqual([]);
  });

  it('reports a type-only cycle with the chain of files that closes it', () => {
    const graph = new Map([
      ['plan-generation.ts', ['lock-problems.ts', 'plan-pyproject.ts']],
      ['lock-problems.ts', ['installability.ts', 'plan-generation.ts']],
      ['installability.ts', []],
      ['plan-pyproject.ts', []],
    ]);
    expect(importCycles(graph)).toEqual([
      ['lock-problems.ts', 'plan-generation.ts', 'lock-problems.ts'],
    ]);
  });
});
