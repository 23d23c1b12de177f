import { parse } from 'smol-toml';
import { LockError } from './errors';
import { normalizeName } from './normalize-name';
import { askIndex, displayIndex, type AskIndex } from './package-index';
import { suggestPackage } from './suggest-package';

/** A dependency no index it may come from has heard of (a typo, most often). */
export interface MissingPackage {
  /** As the pyproject.toml (and so the spec) spells it. */
  name: string;
  /** The index or indexes asked, without credentials. */
  indexes: string[];
  /** The project it most likely meant, when one close enough exists. */
  suggestion?: string;
}

/** A failed lock whose cause is a package that does not exist: callers point at the spec field. */
export class MissingPackageError extends LockError {
  constructor(
    readonly missing: MissingPackage[],
    message: string,
    options: { hint: string; output?: string },
  ) {
    super(message, options);
  }

  override withoutOutput(): MissingPackageError {
    return new MissingPackageError(this.missing, this.summary, { hint: this.hint });
  }
}

/** "no such package `orjsno` on <index>; did you mean `orjson`?" */
export function describeMissing(m: MissingPackage): { message: string; hint: string } {
  return {
    message: `no such package \`${m.name}\` on ${m.indexes.join(' or ')}`,
    hint: `${m.suggestion ? `did you mean \`${m.suggestion}\`? ` : ''}correct the name (or name the package index that has it) and lock again`,
  };
}

// Poetry 2: "Because x-image depends on orjsno (>=3) which doesn't match any versions, ...".
// A package that exists but has no matching version reads the same: the index tells them apart.
const UNMATCHED =
  /depends on ([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])? \([^)]*\) which doesn't match any versions/g;

type Dependency = string | { source?: string } | unknown[];
interface Pyproject {
  tool?: {
    poetry?: {
      dependencies?: Record<string, Dependency>;
      group?: Record<string, { dependencies?: Record<string, Dependency> }>;
      source?: { name: string; url: string; priority?: string }[];
    };
  };
}

const PYPI = 'https://pypi.org/simple/';

/**
 * The direct dependencies Poetry found no version of that their package indexes do not have at
 * all. Asks only after Poetry failed, and only about the names Poetry named: a successful lock
 * costs no request. An index that cannot be asked makes no claim (the package is not reported).
 */
export async function findMissingPackages(
  output: string,
  pyproject: string,
  options: { known?: () => readonly string[]; ask?: AskIndex } = {},
): Promise<MissingPackage[]> {
  const names = [...new Set([...output.matchAll(UNMATCHED)].map((m) => m[1]!))];
  if (names.length === 0) return [];
  let doc: Pyproject;
  try {
    doc = parse(pyproject) as Pyproject;
  } catch {
    return [];
  }
  const poetry = doc.tool?.poetry ?? {};
  const deps = new Map<string, Dependency>();
  for (const table of [
    poetry.dependencies,
    ...Object.values(poetry.group ?? {}).map((g) => g.dependencies),
  ])
    for (const [name, dep] of Object.entries(table ?? {})) deps.set(normalizeName(name), dep);
  const sources = poetry.source ?? [];
  const defaults = sources
    .filter((s) => (s.priority ?? 'primary') !== 'explicit')
    .map((s) => s.url);
  // Without a primary source Poetry also asks PyPI.
  if (!sources.some((s) => (s.priority ?? 'primary') === 'primary')) defaults.push(PYPI);
  const ask = options.ask ?? askIndex;
  const missing: MissingPackage[] = [];
  for (const name of names) {
    const dep = deps.get(normalizeName(name));
    if (dep === undefined) continue; // not a direct dependency: its dependant names it wrongly
    const source = typeof dep === 'object' && !Array.isArray(dep) ? dep.source : undefined;
    const indexes = source ? sources.filter((s) => s.name === source).map((s) => s.url) : defaults;
    if (indexes.length === 0) continue;
    const answers = await Promise.all(indexes.map((i) => ask(i, name)));
    if (!answers.every((a) => a === 'missing')) continue;
    const suggestion = await suggestPackage(name, {
      known: options.known?.() ?? [],
      exists: async (c) => (await Promise.all(indexes.map((i) => ask(i, c)))).includes('found'),
    });
    missing.push({ name, indexes: indexes.map(displayIndex), suggestion });
  }
  return missing;
}
