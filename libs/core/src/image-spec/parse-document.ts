import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node } from 'yaml';
import type { Diagnostic } from '../errors';
import { excerpt } from './excerpt';
import type { FieldPath } from './field-path';
import { unsupportedYaml } from './yaml-features';

export { formatPath, type FieldPath } from './field-path';

export interface ParsedDocument {
  value: unknown;
  /** Line/column of the value at `path` (or of its key when `key` is set); nearest parent when absent. */
  positionOf(path: FieldPath, key?: boolean): { line: number; column: number } | undefined;
  /** The source text of the value at `path` as written (e.g. `0.10` where the value is 0.1). */
  sourceOf?(path: FieldPath): string | undefined;
}

/** Parse YAML keeping positions, so later checks can point at a line and column. Pure. */
export function parseYamlDocument(
  text: string,
  file: string,
): { doc?: ParsedDocument; diagnostics: Diagnostic[] } {
  if (text.trim() === '' || /^\s*(#.*\s*)*$/.test(text)) {
    return {
      diagnostics: [
        {
          file,
          path: '',
          message: 'the file is empty',
          hint: 'write a YAML map; see images/python-base/image.yaml for an example',
        },
      ],
    };
  }
  const lineCounter = new LineCounter();
  // uniqueKeys (the default) turns duplicate keys into errors rather than silently keeping one.
  // logLevel 'error': yaml would print its warnings (an unresolved tag, a list as a key) to stderr
  // itself, quoting the file; the checks below turn each into a diagnostic instead.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    logLevel: 'error',
  });
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        if (e.code === 'DUPLICATE_KEY') {
          const key = excerpt(keyAt(text, e.pos[0]), 40);
          return {
            file,
            line: pos.line,
            column: pos.col,
            path: '',
            message: `duplicate key "${key}"`,
            hint: `"${key}" appears twice in the same map; keep one of them`,
          };
        }
        return {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `invalid YAML: ${excerpt(e.message.split('\n')[0] ?? '', 120)}`,
          hint: 'fix the YAML syntax at this position (indentation, quotes, a missing colon)',
        };
      }),
    };
  }
  if (!isMap(doc.contents)) {
    const kind =
      doc.contents === null ? 'nothing' : isSeq(doc.contents) ? 'a list' : 'a single value';
    const pos = doc.contents?.range
      ? lineCounter.linePos(doc.contents.range[0])
      : { line: 1, col: 1 };
    return {
      diagnostics: [
        {
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: `the document is ${kind}, not a map of fields`,
          hint: 'start with `description:`, `profile:` and `python:` keys at the top level',
        },
      ],
    };
  }
  const unsupported = unsupportedYaml(doc, lineCounter, file);
  if (unsupported.length > 0) return { diagnostics: unsupported };
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    let alias: { line: number; column: number } | undefined;
    visit(doc, {
      Alias(_, node) {
        const p = lineCounter.linePos(node.range?.[0] ?? 0);
        alias = { line: p.line, column: p.col };
        return visit.BREAK;
      },
    });
    return { diagnostics: [{ ...notData(error, file), ...alias }] };
  }
  const root = doc.contents as Node;
  const nodeAt = (path: FieldPath, key = false): Node | undefined => {
    let node: unknown = root;
    let found: Node | undefined = root;
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const target = (last && key ? pair.key : (pair.value ?? pair.key)) as Node;
        found = target;
        node = target;
      } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
        found = node.items[seg] as Node;
        node = found;
      } else break;
    }
    return found;
  };
  const positionOf = (path: FieldPath, key = false) => {
    const found = nodeAt(path, key);
    if (!found?.range) return undefined;
    const p = lineCounter.linePos(found.range[0]);
    return { line: p.line, column: p.col };
  };
  const sourceOf = (path: FieldPath) => {
    const found = nodeAt(path);
    return isScalar(found) && found.range ? text.slice(found.range[0], found.range[1]) : undefined;
  };
  return { doc: { value, positionOf, sourceOf }, diagnostics: [] };
}

// yaml refuses to expand aliases past a limit (`maxAliasCount`, https://eemeli.org/yaml/#tojs-options):
// a few lines of nested aliases (a "billion laughs") would otherwise take all memory.
function notData(error: unknown, file: string): Diagnostic {
  const message = error instanceof Error ? error.message : String(error);
  if (/alias count/i.test(message))
    return {
      file,
      path: '',
      message: 'its aliases (*name) expand to too many values',
      hint: 'each alias copies its anchored value, and aliases of aliases multiply; write the values out instead',
    };
  return {
    file,
    path: '',
    message: `cannot be read as data: ${excerpt(message.split('\n')[0] ?? '', 100)}`,
    hint: 'simplify the YAML here: no deeper nesting than a spec needs, no anchors or aliases',
  };
}

// The key at `offset` as written (yaml reports only the key's first character for a quoted one).
function keyAt(text: string, offset: number): string {
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^:\n,{}]*?)\s*:)/.exec(text.slice(offset));
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
}
