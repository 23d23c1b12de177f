import { closest, distance } from 'fastest-levenshtein';
import { normalizeName } from './normalize-name';

/**
 * The project a misspelt name most likely meant. First the names this workspace already uses
 * (its locks and specs: free, and what a typo usually meant); then, since no index lists every
 * project cheaply (PyPI's full list is hundreds of thousands of names), the name's one-edit
 * variants that are likeliest as typos (two letters swapped, one letter too many), asked of the
 * index itself, at most `maxQueries` of them. Returns undefined when nothing close exists.
 */
export async function suggestPackage(
  name: string,
  options: {
    known: readonly string[];
    exists: (candidate: string) => Promise<boolean>;
    maxQueries?: number;
  },
): Promise<string | undefined> {
  const wanted = normalizeName(name);
  const known = [...new Set(options.known.map(normalizeName))].filter((k) => k !== wanted);
  if (known.length > 0) {
    const guess = closest(wanted, known);
    if (distance(wanted, guess) <= Math.max(2, Math.floor(wanted.length / 4))) return guess;
  }
  const candidates = oneEditVariants(wanted).slice(0, options.maxQueries ?? 24);
  // Asked in parallel, answered in the order of likelihood.
  const found = await Promise.all(candidates.map((c) => options.exists(c)));
  return candidates.find((_, i) => found[i]);
}

/** Adjacent transpositions, then single deletions; each once, never the name itself. */
export function oneEditVariants(name: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 1 < name.length; i++)
    out.add(name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2));
  for (let i = 0; i < name.length; i++) out.add(name.slice(0, i) + name.slice(i + 1));
  out.delete(name);
  return [...out].filter((v) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(v));
}
