/**
 * Locked packages too heavy for CI's coverage step, which must keep CI well under 45 minutes on a
 * fresh 2-core machine (issue #13): an image whose lock pins one is locked, not built, and its row
 * says why. Sizes are PyPI's, of the files pip picks for Linux x86_64, Python 3.11.
 */
export const HEAVY_PACKAGES: Readonly<Record<string, string>> = {
  torch:
    "PyPI's Linux torch is the CUDA build: 3.1 GB of wheels with triton and nvidia-*-cu12; gpu-train (3.2 GB) took 5 min to build and 2.3 min to validate here",
};

/** The HEAVY_PACKAGES among a lock's "name version" entries, as "name version". Pure. */
export function heavyPackagesIn(locked: readonly string[]): string[] {
  return locked.filter((p) => p.split(' ')[0]! in HEAVY_PACKAGES).sort();
}

/** What CI can do with one catalogue image on this machine (issue #10 item 4). */
export interface CoverageFacts {
  /** The Nx project (a matrix image's variants share it). */
  image: string;
  /** The catalogue parent, when the image is built FROM another catalogue image. */
  parent?: string;
  /** The external base after the registry-mirror rewrite (images without a catalogue parent). */
  baseRef?: string;
  /** Whether baseRef is in the local registry. */
  baseAvailable: boolean;
  /** The Python the image needs, and the one its stand-in base has (or apt-installs), when known. */
  python?: string;
  basePython?: string;
  locked: boolean;
  /** Non-PyPI indexes the image's packages come from (vendor indexes are unreachable here). */
  vendorIndexes: string[];
  /** Locked packages from HEAVY_PACKAGES ("name version"): too heavy to build in CI. */
  heavy?: string[];
  /** Set when CI leaves the image out on purpose (too slow, say): the reason. */
  skipped?: string;
}

export type CoverageStatus =
  'build' | 'built + validated' | 'FAILED' | 'locked only' | 'not locked' | 'needs vendor index';

export interface Coverage {
  image: string;
  status: CoverageStatus;
  why: string;
}

/**
 * Classify images in parents-first order: an image is built only when its packages need no vendor
 * index, it is locked, none of them is too heavy for CI (HEAVY_PACKAGES), and its base is here (an external base in the registry, or a catalogue parent
 * that is itself built). Pure.
 */
export function classifyCoverage(facts: CoverageFacts[]): Coverage[] {
  const decided = new Map<string, Coverage>();
  for (const f of facts) {
    const c = classifyOne(f, decided);
    decided.set(f.image, c);
  }
  return [...decided.values()];
}

function classifyOne(f: CoverageFacts, decided: Map<string, Coverage>): Coverage {
  const image = f.image;
  if (f.vendorIndexes.length > 0) {
    const why = `packages from ${f.vendorIndexes.join(', ')}`;
    return { image, status: 'needs vendor index', why: f.locked ? why : `not locked: ${why}` };
  }
  if (!f.locked) return { image, status: 'not locked', why: 'no poetry.lock committed' };
  if (f.skipped) return { image, status: 'locked only', why: `skipped: ${f.skipped}` };
  if (f.heavy?.length) {
    const what = f.heavy.map((p) => `${p} (${HEAVY_PACKAGES[p.split(' ')[0]!]})`).join('; ');
    return { image, status: 'locked only', why: `too heavy for CI: ${what}` };
  }
  if (f.parent !== undefined) {
    const parent = decided.get(f.parent);
    if (parent?.status !== 'build') {
      return { image, status: 'locked only', why: `parent ${f.parent} is not built here` };
    }
    return { image, status: 'build', why: `FROM ${f.parent}` };
  }
  if (!f.baseAvailable) {
    return { image, status: 'locked only', why: `base ${f.baseRef ?? '?'} not available here` };
  }
  if (f.python && f.basePython && f.python !== f.basePython) {
    const why = `base ${f.baseRef} here has Python ${f.basePython}, the image needs ${f.python}`;
    return { image, status: 'locked only', why };
  }
  return { image, status: 'build', why: `FROM ${f.baseRef}` };
}

/** Parents that failed to build make their children fail too, without trying. Pure. */
export function failedParent(
  facts: CoverageFacts[],
  image: string,
  failed: ReadonlySet<string>,
): string | undefined {
  const parent = facts.find((f) => f.image === image)?.parent;
  return parent !== undefined && failed.has(parent) ? parent : undefined;
}

/** A markdown table: image | status | why. */
export function renderCoverageTable(rows: Coverage[]): string {
  const lines = ['| image | status | why |', '| --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.image} | ${r.status} | ${r.why.replace(/\|/g, '\\|')} |`);
  return lines.join('\n');
}
