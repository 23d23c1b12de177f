import type { BuildMetadata } from './build';

/** The tag of a reference: `127.0.0.1:5000/ns/base:1.0-r3` -> `1.0-r3`. */
function tagOf(ref: string): string {
  return ref.slice(ref.lastIndexOf(':') + 1);
}

/**
 * The one line a build prints for an image, in words rather than the recorded result's code:
 * `base: built 127.0.0.1:5000/ns/base:ch-1a2b (tags 1.0-r3, 1.0) in 42 s`,
 * `base: already built (found locally: ...)`.
 */
export function describeBuild(meta: BuildMetadata, tookMs?: number): string {
  const name = `${meta.variant}${meta.stage === 'development' ? ' (development stage)' : ''}`;
  if (meta.result === 'present-local')
    return `${name}: already built (found locally: ${meta.reference})`;
  if (meta.result === 'present-registry')
    return `${name}: already built (found in the registry: ${meta.reference})`;
  const others = meta.tags.filter((t) => t !== meta.reference).map(tagOf);
  const took = tookMs === undefined ? '' : ` in ${Math.max(1, Math.round(tookMs / 1000))} s`;
  return `${name}: built ${meta.reference}${others.length ? ` (tags ${others.join(', ')})` : ''}${took}`;
}
