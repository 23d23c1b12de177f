import type { ErrorObject, ValidateFunction } from 'ajv';
import { compileCached } from './compile-schema';
import { closest } from 'fastest-levenshtein';
import type { Diagnostic } from '../errors';
import type { FieldPath, ParsedDocument } from './parse-document';
import { formatPath } from './parse-document';
import { excerpt } from './excerpt';

const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: object): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = compileCached(schema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Pass one: JSON Schema. Every violation becomes a diagnostic with line, field and hint. */
export function schemaCheck(schema: object, doc: ParsedDocument, file: string): Diagnostic[] {
  const validate = compile(schema);
  if (validate(doc.value)) return [];
  const foreign = notThisKind(schema, doc, file);
  if (foreign) return [foreign];
  const all = validate.errors ?? [];
  // A oneOf failure also reports each branch's failure at the same path; the oneOf one
  // (with the field's description as hint) says it better.
  const oneOfPaths = new Set(all.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const errors = all.filter(
    (e) => !isNoise(e) && (e.keyword === 'oneOf' || !oneOfPaths.has(e.instancePath)),
  );
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(e, schema, doc, file);
    const k = `${d.path}|${d.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(d);
    }
  }
  return out;
}

// A map none of whose many keys is a field is some other file (a config, a secret behind a copy):
// one line saying so, rather than each of its lines echoed back as an unknown field.
const FOREIGN_KEYS = 5;

function notThisKind(schema: any, doc: ParsedDocument, file: string): Diagnostic | undefined {
  const value = doc.value;
  if (!value || typeof value !== 'object' || Array.isArray(value) || !schema?.properties) return;
  const keys = Object.keys(value);
  if (keys.length < FOREIGN_KEYS || keys.some((k) => Object.hasOwn(schema.properties, k))) return;
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    message: `none of its ${keys.length} top-level keys is a field of ${schema.title ?? 'this file'}`,
    hint: `is this the file you meant? Known fields: ${Object.keys(schema.properties).join(', ')}`,
  };
}

function isNoise(e: ErrorObject): boolean {
  return e.keyword === 'if';
}

function pathOf(e: ErrorObject): FieldPath {
  return e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function schemaAt(schema: any, e: ErrorObject): any {
  let node = schema;
  for (const seg of e.schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) {
    if (seg === '') continue;
    node = node?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node?.$ref) node = resolveRef(schema, node.$ref);
  }
  return node;
}

function resolveRef(schema: any, ref: string): any {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((n, s) => n?.[s], schema);
}

function toDiagnostic(
  e: ErrorObject,
  schema: object,
  doc: ParsedDocument,
  file: string,
): Diagnostic {
  const path = pathOf(e);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(schemaAt(schema, e)?.properties ?? {});
    const full = [...path, key];
    const pos = doc.positionOf(full, true);
    const guess = known.length > 0 ? closest(key, known) : undefined;
    return {
      file,
      ...pos2(pos),
      path: formatPath([...path, excerpt(key, 40)]),
      message: `unknown field "${excerpt(key, 40)}"`,
      hint: guess
        ? `did you mean "${guess}"? Known fields here: ${known.join(', ')}`
        : 'remove it; this map takes no such field',
    };
  }
  const pos = doc.positionOf(path);
  const where = formatPath(path) || '(document)';
  const base = { file, ...pos2(pos), path: formatPath(path) };
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return {
        ...base,
        message: `missing required field "${missing}"`,
        hint: `add \`${missing}:\` to ${where === '(document)' ? 'the top level' : where}`,
      };
    }
    case 'type': {
      // ajv gives one type as a string, several (`type: [string, number]`) as an array.
      const param = (e.params as { type: string | string[] }).type;
      const types = Array.isArray(param) ? param : param.split(',');
      return {
        ...base,
        message: `must be ${types.join(' or ')}`,
        hint:
          wrongValueHint(types, doc, path) ??
          describe(schemaAt(schema, e)) ??
          `write a ${types[0]}`,
      };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const value = valueAt(doc.value, path);
      const guess = typeof value === 'string' ? closest(value, allowed) : undefined;
      return {
        ...base,
        message: `must be one of ${allowed.join(', ')}`,
        hint: guess ? `did you mean "${guess}"?` : 'pick one of the listed values',
      };
    }
    case 'oneOf':
      return {
        ...base,
        message: `has the wrong type (${kindOf(valueAt(doc.value, path))})`,
        hint: describe(schemaAt(schema, e)) ?? 'see the schema for the accepted forms',
      };
    default:
      return { ...base, message: e.message ?? 'is invalid', hint: describe(schemaAt(schema, e)) };
  }
}

// YAML reads an unquoted 0.1 or 1.10 as a number; a string field then needs quotes, keeping the text
// as written (1.10, not 1.1). A bare `KEY:` is null, and a nested map or list where one value goes
// is a common slip of indentation or brackets.
function wrongValueHint(types: string[], doc: ParsedDocument, path: FieldPath): string | undefined {
  const value = valueAt(doc.value, path);
  const key = path[path.length - 1];
  const keyText = typeof key === 'string' ? `${excerpt(key, 40)}: ` : '';
  if (value === null)
    return `the value is empty (null); write one, e.g. \`${keyText}""\` for an empty string, or remove the entry`;
  if (types.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    const text = excerpt(doc.sourceOf?.(path) ?? String(value), 40);
    return `quote it: \`${keyText}"${text}"\` (unquoted, it is read as a ${typeof value})`;
  }
  if (typeof value === 'object' && !types.includes('object') && !types.includes('array'))
    return `this takes one ${types.join(' or ')}, not a ${kindOf(value)}; quote the whole value if it is meant as text`;
  return undefined;
}

function kindOf(value: unknown): string {
  return value === null
    ? 'null'
    : Array.isArray(value)
      ? 'list'
      : typeof value === 'object'
        ? 'map'
        : typeof value;
}

function describe(node: any): string | undefined {
  return typeof node?.description === 'string' ? node.description : undefined;
}

function pos2(pos: { line: number; column: number } | undefined) {
  return pos ? { line: pos.line, column: pos.column } : {};
}

function valueAt(value: unknown, path: FieldPath): unknown {
  return path.reduce<unknown>(
    (v, seg) =>
      v && typeof v === 'object' ? (v as Record<string, unknown>)[seg as string] : undefined,
    value,
  );
}
