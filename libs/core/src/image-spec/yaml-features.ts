import {
  isAlias,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';
import type { Diagnostic } from '../errors';
import { excerpt } from './excerpt';
import { formatPath, type FieldPath } from './field-path';

// What an explicit tag may say: the JSON-like types a spec is made of. yaml also knows !!binary,
// !!set, !!omap, !!pairs and !!timestamp (https://eemeli.org/yaml/#tags); they become a Buffer,
// Set, Map or Date that no spec field takes and that the rules after the schema cannot read.
const PLAIN_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`),
);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const PLAIN_DATA_HINT =
  'specs and profiles hold only strings, numbers, booleans, lists and maps: remove the tag and write the value as a quoted string';

/**
 * The YAML features a spec may not use, as diagnostics: tags for non-JSON types, numbers JSON
 * cannot hold (.nan, .inf, 1e400), strings UTF-8 cannot hold (a lone surrogate), merge keys
 * (`<<:`), keys that are collections, and aliases with no anchor before them or inside their own
 * anchored value (an endless structure). Runs on a document that parsed without errors, before it
 * is turned into data.
 */
export function unsupportedYaml(doc: Document, lines: LineCounter, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const anchors = new Map<string, Node[]>();
  const aliases: { alias: Alias; path: FieldPath }[] = [];
  const report = (node: Node | Pair, path: FieldPath, message: string, hint: string) => {
    const range = isPair(node) ? (node.key as Node | null)?.range : node.range;
    const pos = range ? lines.linePos(range[0]) : undefined;
    out.push({
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      path: formatPath(path),
      message,
      hint,
    });
  };
  visit(doc, {
    Pair(_, pair, ancestors) {
      if (pair.key !== null && !isScalar(pair.key))
        report(
          pair,
          fieldPath(ancestors),
          'a key is a list, a map or an alias',
          'write keys as plain text (quote one that starts with [, {, ? or *)',
        );
      if (isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.value === '<<')
        report(
          pair,
          fieldPath([...ancestors, pair]),
          'merge keys (<<) are not supported',
          'write each field out in this map; quote the key ("<<") if you mean a key named <<',
        );
    },
    Node(_, node, ancestors) {
      const path = fieldPath([...ancestors, node]);
      if (node.tag !== undefined && !PLAIN_TAGS.has(node.tag))
        report(
          node,
          path,
          `the tag ${excerpt(node.tag.replace('tag:yaml.org,2002:', '!!'), 40)} is not supported`,
          PLAIN_DATA_HINT,
        );
      // JSON has no NaN or Infinity: a validated spec is cached as JSON (validation-cache.ts), so
      // `.nan` would render as NaN once and as null from the cache.
      if (isScalar(node) && typeof node.value === 'number' && !Number.isFinite(node.value))
        report(
          node,
          path,
          `${excerpt(String(node.source ?? node.value), 40)} is not a finite number`,
          'write a finite number, or quote the value if it is meant as text',
        );
      // Half of a UTF-16 pair cannot be written as UTF-8: the file on disk would never equal what
      // generation planned, so every later run would find it out of date.
      if (isScalar(node) && typeof node.value === 'string' && LONE_SURROGATE.test(node.value))
        report(
          node,
          path,
          'contains half of a UTF-16 surrogate pair (an escape such as \\uD800 alone)',
          'write the character itself, or escape it whole as \\U0001F600',
        );
      if (isAlias(node)) aliases.push({ alias: node, path });
      else if (node.anchor) anchors.set(node.anchor, [...(anchors.get(node.anchor) ?? []), node]);
    },
  });
  for (const { alias, path } of aliases) {
    const start = alias.range?.[0] ?? 0;
    // An alias refers to the nearest anchor of that name before it (YAML 1.2, 7.1).
    const target = (anchors.get(alias.source) ?? [])
      .filter((n) => (n.range?.[0] ?? 0) < start)
      .pop();
    const name = excerpt(alias.source, 40);
    if (!target)
      report(
        alias,
        path,
        `alias *${name} has no anchor &${name} before it`,
        `define &${name} on a value above this line, or write the value out here`,
      );
    else if (target.range && start < target.range[1])
      report(
        alias,
        path,
        `alias *${name} is inside the value it refers to`,
        'that makes an endless structure; write the value out here',
      );
  }
  return out;
}

/** A spec's field path for the last of `chain` (the visitor's ancestors plus the node). */
function fieldPath(chain: readonly unknown[]): FieldPath {
  const path: FieldPath = [];
  chain.forEach((n, i) => {
    if (isPair(n) && isScalar(n.key)) path.push(excerpt(String(n.key.value), 40));
    else if (isSeq(n) && i + 1 < chain.length) path.push(n.items.indexOf(chain[i + 1] as Node));
  });
  return path;
}
