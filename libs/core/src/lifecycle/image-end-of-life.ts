import type { Workspace } from '../catalogue/load-workspace';
import { resolveVariants } from '../catalogue/variants';
import { earliestEnd, endsOfLife } from './ends-of-life';

/**
 * When an image stops being supported: the earliest end of life of what any of its variants runs
 * on (Python, the profile's OS, CUDA or SDK), as "2027-06-01 (Ubuntu 22.04 LTS (jammy))", with
 * "allowed: <reason>" when the spec keeps it past that day. Undefined when no table knows any of
 * it. Depends on committed files only, never on today's date: the README cells that show it are
 * byte-stable.
 */
export function imageEndOfLife(
  ws: Pick<Workspace, 'specs' | 'profiles' | 'baseDigests' | 'lifecycles'>,
  image: string,
): { date: string; what: string; allowed?: string } | undefined {
  const ends = resolveVariants(ws, image).flatMap((v) => endsOfLife(v, ws.lifecycles));
  const first = earliestEnd(ends);
  if (!first) return undefined;
  const allowed = ws.specs.get(image)?.spec.allow_eol;
  return {
    date: first.entry.end_of_life,
    what: first.entry.name,
    ...(allowed === undefined ? {} : { allowed }),
  };
}

/**
 * imageEndOfLife as one line of text: "2027-06-01 (Ubuntu 22.04 LTS (jammy))", or "-"; with
 * allow_eol, ", allowed: <reason>" (the image's README), or just ", allowed by allow_eol" where
 * space is short (the catalogue table).
 */
export function endOfLifeText(
  eol: ReturnType<typeof imageEndOfLife>,
  options: { reason?: boolean } = { reason: true },
): string {
  if (!eol) return '-';
  const allowed =
    eol.allowed === undefined
      ? ''
      : options.reason
        ? `, allowed: ${eol.allowed}`
        : ', allowed by allow_eol';
  return `${eol.date} (${eol.what})${allowed}`;
}
