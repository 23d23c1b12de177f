import type { Diagnostic } from '../errors';
import type { ParsedDocument } from '../image-spec/parse-document';
import { formatPath } from '../image-spec/parse-document';
import { schemaCheck } from '../image-spec/schema-check';
import { isCalendarDate } from './dates';
import lifecycleSchema from './lifecycle.schema.json';
import type { LifecycleEntry } from './types';

/**
 * A lifecycle table's problems, every one with its entry's path and line: the JSON Schema first,
 * then what it cannot say (a real calendar day, ids unique, `when.base` a regular expression).
 */
export function validateLifecycle(doc: ParsedDocument, file: string): Diagnostic[] {
  const problems = schemaCheck(lifecycleSchema, doc, file);
  if (problems.length > 0) return problems;
  const entries = (doc.value as { entries: LifecycleEntry[] }).entries;
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string, hint: string): Diagnostic => ({
    file,
    ...(doc.positionOf(path) ?? {}),
    path: formatPath(path),
    message,
    hint,
  });
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    if (!isCalendarDate(e.end_of_life))
      out.push(
        at(
          ['entries', i, 'end_of_life'],
          `"${e.end_of_life}" is not a calendar day`,
          'write the day support ends as YYYY-MM-DD; where the source names only a month, its first day',
        ),
      );
    const first = seen.get(e.id);
    if (first !== undefined)
      out.push(
        at(
          ['entries', i, 'id'],
          `id "${e.id}" is also entries[${first}]'s`,
          'give every entry its own id',
        ),
      );
    else seen.set(e.id, i);
    if (e.when?.base !== undefined && !compiles(e.when.base))
      out.push(
        at(
          ['entries', i, 'when', 'base'],
          `"${e.when.base}" is not a regular expression`,
          'write a JavaScript regular expression the base reference must match, e.g. ^ubuntu:22\\.04',
        ),
      );
  });
  return out;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
