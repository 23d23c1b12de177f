import { unpinnedReference } from '../catalogue/base-digests';
import type { ImageVariant } from '../catalogue/variants';
import { pythonLifecycle } from './python-lifecycle';
import type { LifecycleEntry, LifecycleTable } from './types';

/** One thing a variant runs on that has an end of life, and the table that says so. */
export interface EndOfLife {
  kind: 'python' | 'profile';
  entry: LifecycleEntry;
  table: string;
  /** The profile whose table it is (kind profile). */
  profile?: string;
}

/** The external base at the root of a variant's parent chain, without a digest. */
export function rootBase(v: ImageVariant): string {
  let root = v;
  while (root.parent) root = root.parent;
  return root.from.kind === 'external' ? unpinnedReference(root.from.ref) : '';
}

/**
 * What a variant runs on that has an end of life: its Python, and the entries of its own and its
 * parents' profile tables whose `when` matches (the root base, the Python version). A child on
 * ml-base (cpu) under cuda12 runs on ml-base's Debian, which only cpu's table can match. Pure.
 */
export function endsOfLife(
  v: ImageVariant,
  lifecycles: ReadonlyMap<string, LifecycleTable> = new Map(),
): EndOfLife[] {
  const out: EndOfLife[] = [];
  const python = pythonLifecycle.entries.find((e) => e.id === v.python);
  if (python) out.push({ kind: 'python', entry: python, table: pythonLifecycle.file });
  const base = rootBase(v);
  const seen = new Set<string>();
  for (let link: ImageVariant | undefined = v; link; link = link.parent) {
    const profile = link.profile.name;
    const table = lifecycles.get(profile);
    if (!table || seen.has(profile)) continue;
    seen.add(profile);
    for (const entry of table.entries)
      if (applies(entry, base, v.python))
        out.push({ kind: 'profile', entry, table: table.file, profile });
  }
  return out;
}

function applies(entry: LifecycleEntry, base: string, python: string): boolean {
  const { when } = entry;
  if (when?.python && !when.python.includes(python)) return false;
  if (when?.base !== undefined && !new RegExp(when.base).test(base)) return false;
  return true;
}

/** The earliest end among `ends` (the day the image stops being supported), if any. */
export function earliestEnd<T extends EndOfLife>(ends: readonly T[]): T | undefined {
  return [...ends].sort((a, b) => a.entry.end_of_life.localeCompare(b.entry.end_of_life))[0];
}
