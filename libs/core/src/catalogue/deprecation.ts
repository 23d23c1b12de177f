import type { Deprecation } from '../image-spec/types';
import type { Workspace } from './load-workspace';
import { ancestorsOf } from './variants';

/** "since 2024-07: use vessl-torch (NGC images are heavier)": the part every mention shares. */
export function deprecationSummary(d: Deprecation): string {
  return `since ${d.since}: use ${d.use_instead}${d.reason ? ` (${d.reason})` : ''}`;
}

/**
 * One warning line per named image that is deprecated or has a deprecated ancestor (the nearest
 * one), in the order given: building a child builds the deprecated parent too. Pure.
 */
export function deprecationWarnings(
  ws: Pick<Workspace, 'specs'>,
  images: readonly string[],
): string[] {
  const out: string[] = [];
  for (const image of new Set(images)) {
    const own = ws.specs.get(image)?.spec.deprecated;
    if (own) {
      out.push(`warning: ${image} is deprecated ${deprecationSummary(own)}`);
      continue;
    }
    const parent = ancestorsOf(ws, image).find((a) => ws.specs.get(a)?.spec.deprecated);
    const d = parent === undefined ? undefined : ws.specs.get(parent)?.spec.deprecated;
    if (parent !== undefined && d)
      out.push(
        `warning: ${image} is based on ${parent}, which is deprecated ${deprecationSummary(d)}`,
      );
  }
  return out;
}
