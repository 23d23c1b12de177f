import type { Diagnostic } from '../errors';
import type { WorkspaceReader } from '../catalogue/workspace-reader';
import { parseYamlDocument } from '../image-spec/parse-document';
import type { LifecycleEntry, LifecycleTable } from './types';
import { validateLifecycle } from './validate-lifecycle';

/**
 * profiles/<name>/lifecycle.yaml of every profile that has one, by profile name: found by
 * convention like the profiles themselves, so a new profile brings its table without a code
 * change. A profile without one has no end-of-life dates of its own (Python's still apply).
 */
export function loadLifecycles(reader: WorkspaceReader): {
  tables: Map<string, LifecycleTable>;
  diagnostics: Diagnostic[];
} {
  const tables = new Map<string, LifecycleTable>();
  const diagnostics: Diagnostic[] = [];
  for (const name of reader.list('profiles')) {
    const path = `profiles/${name}/lifecycle.yaml`;
    const text = reader.read(path);
    if (text === undefined) continue;
    // A built-in profile's table is named by where it is, since that is the file to look at.
    const file = reader.builtinPath?.(path) ?? path;
    const parsed = parseYamlDocument(text, file);
    const problems = parsed.doc ? validateLifecycle(parsed.doc, file) : parsed.diagnostics;
    if (problems.length > 0) diagnostics.push(...problems);
    else
      tables.set(name, {
        file,
        entries: (parsed.doc!.value as { entries: LifecycleEntry[] }).entries,
      });
  }
  return { tables, diagnostics };
}
