import { createHash } from 'node:crypto';
import { parse } from 'smol-toml';

// Poetry 2.x: poetry/packages/locker.py, Locker._get_content_hash. Only these parts of
// pyproject.toml decide whether a lock is fresh; the name, description and comments do not.
const LEGACY_KEYS = ['dependencies', 'source', 'extras', 'dev-dependencies'];
const POETRY_KEYS = [...LEGACY_KEYS, 'group'];
const PROJECT_KEYS = ['requires-python', 'dependencies', 'optional-dependencies'];

type Table = Record<string, unknown>;
const table = (v: unknown): Table => (v && typeof v === 'object' ? (v as Table) : {});

/**
 * The content-hash Poetry writes into poetry.lock `[metadata]` for this pyproject.toml text:
 * sha256 of `json.dumps(relevant, sort_keys=True)`. A lock whose hash differs was made from
 * another pyproject (Poetry itself then says "pyproject.toml changed significantly").
 */
export function poetryContentHash(pyprojectText: string): string {
  const doc = parse(pyprojectText) as Table;
  const project = table(doc.project);
  const groups = table(doc['dependency-groups']);
  const poetry = table(table(doc.tool).poetry);
  const relevantProject: Table = {};
  for (const key of PROJECT_KEYS) if (project[key] != null) relevantProject[key] = project[key];
  const modern = Object.keys(relevantProject).length > 0 || Object.keys(groups).length > 0;
  const relevantPoetry: Table = {};
  for (const key of POETRY_KEYS) {
    const data = poetry[key];
    // Absent legacy keys are kept as null for compatibility, unless [project] or
    // [dependency-groups] says something.
    if (data == null && (!LEGACY_KEYS.includes(key) || modern)) continue;
    relevantPoetry[key] = data ?? null;
  }
  let relevant: Table = relevantPoetry;
  if (modern) {
    relevant = {};
    if (Object.keys(relevantProject).length > 0) relevant.project = relevantProject;
    if (Object.keys(groups).length > 0) relevant['dependency-groups'] = groups;
    relevant.tool = { poetry: relevantPoetry };
  }
  return createHash('sha256').update(pythonJsonDumps(relevant)).digest('hex');
}

/** The content-hash recorded in a poetry.lock, or undefined when it has none. */
export function lockContentHash(lockText: string): string | undefined {
  const metadata = lockText.lastIndexOf('\n[metadata]');
  const m = /^content-hash = "([0-9a-f]+)"$/m.exec(
    metadata === -1 ? lockText : lockText.slice(metadata),
  );
  return m?.[1];
}

/**
 * Python's `json.dumps(value, sort_keys=True)`: ", " and ": " separators, keys sorted by code
 * point at every level, non-ASCII and DEL escaped as \uXXXX (ensure_ascii). Floats are not
 * handled (pyproject dependency tables hold none).
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as Table).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${str(k)}: ${pythonJsonDumps((value as Table)[k])}`).join(', ')}}`;
  }
  if (typeof value === 'string') return str(value);
  return String(value); // booleans and integers print alike in both languages
}

const str = (s: string) =>
  JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
