import {
  ancestorsOf,
  nearestImage,
  topologicalOrder,
  UsageError,
  type Workspace,
} from '@imagesmith/core';

type Specs = Pick<Workspace, 'specs'>;

/** Which images a catalogue-wide command (`refresh`, `pin-bases`) works on, as the user asked. */
export interface ImageSelectionRequest {
  /** Image names given as arguments; each must exist. */
  names: readonly string[];
  /** `--projects`: Nx project patterns (names, globs, `tag:`, `!exclusion`), comma-separated. */
  projects?: readonly string[];
  /** `--affected`, with the commits to compare (NX_BASE / NX_HEAD when not given). */
  affected?: { base?: string; head?: string };
}

/** Asks Nx which projects match (`nx show projects --json ...`); an edge passed in so tests fake it. */
export type ListProjects = (query: {
  projects?: string;
  affected?: { base?: string; head?: string };
}) => Promise<string[]>;

const GLOB = /[*?[\]{}!]|^tag:/;

/**
 * The images to work on, in catalogue order, or `undefined` for the whole catalogue (no selector).
 * Names are checked here (an unknown one is a usage error with the nearest name); patterns and
 * `--affected` are Nx's own (`nx show projects`), so they mean exactly what they mean to
 * `nx run-many -p` / `nx affected`. Names and patterns add up; `--affected` then keeps only the
 * affected ones among them (as `nx affected -p` does), or all affected images when alone.
 */
export async function selectImages(
  ws: Specs,
  request: ImageSelectionRequest,
  listProjects: ListProjects,
): Promise<string[] | undefined> {
  const images = [...ws.specs.keys()];
  for (const name of request.names) checkName(name, images, 'image');
  const patterns = (request.projects ?? []).flatMap((p) => p.split(',')).filter(Boolean);
  // An empty --projects (an unset CI variable, say) must not widen to the whole catalogue.
  if (request.projects && patterns.length === 0)
    throw new UsageError(
      '--projects was given no pattern: name images or globs (--projects "team-*"), or leave it out for every image',
    );
  // A plain name in --projects is checked too, so a typo gets a suggestion rather than "no match".
  for (const p of patterns) if (!GLOB.test(p)) checkName(p, images, '--projects name');
  const explicit = request.names.length > 0 || patterns.length > 0;
  if (!explicit && !request.affected) return undefined;
  const picked = new Set(request.names);
  if (patterns.length > 0) {
    const matched = (await listProjects({ projects: patterns.join(',') })).filter((p) =>
      ws.specs.has(p),
    );
    if (matched.length === 0)
      throw new UsageError(
        `--projects ${patterns.join(',')} matches no image; images are the folders under images/ (run \`nx show projects\`)`,
      );
    for (const m of matched) picked.add(m);
  }
  let chosen = explicit ? images.filter((i) => picked.has(i)) : images;
  if (request.affected) {
    const affected = new Set(await listProjects({ affected: request.affected }));
    chosen = chosen.filter((i) => affected.has(i));
  }
  return topologicalOrder(ws).filter((i) => chosen.includes(i));
}

function checkName(name: string, images: string[], what: string): void {
  if (images.includes(name)) return;
  const guess = nearestImage(name, images);
  throw new UsageError(
    `unknown ${what} "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; images are the folders under images/ (run \`nx show projects\`)`,
  );
}

/**
 * The selected images and every catalogue ancestor of theirs, parents first: a child's lock reads
 * its parent's lock, so the parent must be locked (and current) before the child is.
 */
export function withAncestors(ws: Specs, selected: readonly string[]): string[] {
  const wanted = new Set(selected.flatMap((i) => [i, ...ancestorsOf(ws, i)]));
  return topologicalOrder(ws).filter((i) => wanted.has(i));
}
