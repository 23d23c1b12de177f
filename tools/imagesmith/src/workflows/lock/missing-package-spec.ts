import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formatPath,
  parseYamlDocument,
  resolveVariants,
  SpecError,
  type Diagnostic,
  type FieldPath,
  type LoadedSpec,
  type Workspace,
} from '@imagesmith/core';
import {
  describeMissing,
  normalizeName,
  parseLock,
  type MissingPackageError,
} from '@imagesmith/lock';

/**
 * Every package name the workspace already uses (its specs and locks): what a misspelt package
 * most likely meant. Read only when a lock failed on a package no index has.
 */
export function knownPackages(root: string, ws: Workspace): string[] {
  const names = new Set<string>();
  for (const loaded of ws.specs.values()) {
    for (const path of packageTables(loaded))
      for (const key of Object.keys(path.table)) names.add(key);
    for (const v of resolveVariants(ws, loaded.name)) {
      const file = join(root, v.outDir, 'poetry.lock');
      if (!existsSync(file)) continue;
      try {
        for (const p of parseLock(readFileSync(file, 'utf8'))) names.add(p.name);
      } catch {
        // an unreadable lock suggests nothing
      }
    }
  }
  return [...names].map((n) => n.replace(/\[.*$/, ''));
}

/**
 * Point a lock that failed on a package no index has at the spec field that names it: file, line,
 * field (`python_packages.orjsno`), the index asked and the likeliest meant name. A package the
 * spec does not name (it came from elsewhere) keeps the lock error as it was.
 */
export function missingPackageInSpec(error: MissingPackageError, loaded: LoadedSpec): Error {
  const { doc } = parseYamlDocument(loaded.text, loaded.file);
  const diagnostics: Diagnostic[] = [];
  for (const m of error.missing) {
    const path = packageTables(loaded)
      .map(({ at, table }) => {
        const key = Object.keys(table).find(
          (k) => normalizeName(k.replace(/\[.*$/, '')) === normalizeName(m.name),
        );
        return key === undefined ? undefined : [...at, key];
      })
      .find((p): p is FieldPath => p !== undefined);
    if (!path) return error;
    const { message, hint } = describeMissing(m);
    diagnostics.push({
      file: loaded.file,
      ...(doc?.positionOf(path, true) ?? {}),
      path: formatPath(path),
      message,
      hint: `${hint}; no poetry.lock was changed`,
    });
  }
  return new SpecError(diagnostics);
}

function packageTables(loaded: LoadedSpec): { at: FieldPath; table: Record<string, unknown> }[] {
  const spec = loaded.spec;
  return [
    { at: ['python_packages'], table: spec.python_packages ?? {} },
    ...(['production', 'development'] as const).map((stage) => ({
      at: ['stages', stage, 'python_packages'] as FieldPath,
      table: spec.stages?.[stage]?.python_packages ?? {},
    })),
  ];
}
