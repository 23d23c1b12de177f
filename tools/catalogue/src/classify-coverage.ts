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
 * index, it is locked, and its base is here (an external base in the registry, or a catalogue parent
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
