/**
 * The repo's source files as TypeScript resolves their imports (its own module resolution, so
 * `@imagesmith/core` and relative paths land where the compiler puts them): what the product's entry
 * points reach, and what a file imports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The repo's compiler options (tsconfig.base.json), for resolving imports as tsc does. */
export function compilerOptions(root: string): ts.CompilerOptions {
  const file = join(root, 'tsconfig.base.json');
  const { config } = ts.readConfigFile(file, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, root).options;
}

/** The repo files (absolute paths) that `file` imports, re-exports or requires. */
export function importsOf(file: string, options: ts.CompilerOptions): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
    return resolved && !resolved.resolvedFileName.includes('/node_modules/')
      ? [resolved.resolvedFileName]
      : [];
  });
}

/**
 * The entry points of the product (workspace-relative): each library's package.json `main` and
 * `exports`, the bundles tools/imagesmith loads (`loadBundle(name, 'src/…')`) and its generator
 * factories.
 */
export function productEntries(root: string): string[] {
  const entries: string[] = [];
  for (const lib of readdirSync(join(root, 'libs'))) {
    const pkg = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8')) as {
      main?: string;
      exports?: Record<string, string>;
    };
    for (const target of [pkg.main, ...Object.values(pkg.exports ?? {})])
      if (target?.endsWith('.ts')) entries.push(join('libs', lib, target));
  }
  const tool = join(root, 'tools', 'imagesmith');
  const scripts = [
    ...readdirSync(tool).filter((f) => f.endsWith('.cjs')),
    ...readdirSync(join(tool, 'bin')).map((f) => join('bin', f)),
  ];
  for (const script of scripts)
    for (const m of readFileSync(join(tool, script), 'utf8').matchAll(
      /loadBundle\(\s*'[^']+',\s*'([^']+)'/g,
    ))
      entries.push(join('tools', 'imagesmith', m[1]!));
  const { generators } = JSON.parse(readFileSync(join(tool, 'generators.json'), 'utf8')) as {
    generators: Record<string, { factory: string }>;
  };
  for (const { factory } of Object.values(generators))
    if (factory.startsWith('./src/')) entries.push(join('tools', 'imagesmith', `${factory}.ts`));
  return entries;
}

/** Every repo file (workspace-relative) that the entry points reach through their imports. */
export function reachable(root: string, entries: string[]): Set<string> {
  const options = compilerOptions(root);
  const seen = new Set<string>();
  const todo = entries.map((e) => join(root, e));
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...importsOf(file, options));
  }
  return new Set([...seen].map((f) => relative(root, f)));
}

/** The .ts files below `dir` (workspace-relative), declaration files left out. */
export function sourceFiles(root: string, dir: string): string[] {
  return (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
}
