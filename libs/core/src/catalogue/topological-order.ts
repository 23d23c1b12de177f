import type { Workspace } from './load-workspace';
import { ancestorsOf } from './variants';

/** Images ordered parents first (for generate, lock and build). */
export function topologicalOrder(ws: Pick<Workspace, 'specs'>): string[] {
  const names = [...ws.specs.keys()].sort();
  return names
    .map((n) => ({ n, depth: ancestorsOf(ws, n).length }))
    .sort((a, b) => a.depth - b.depth || a.n.localeCompare(b.n))
    .map((x) => x.n);
}
