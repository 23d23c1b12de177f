import { tagOf } from '@imagesmith/engine';
import type { BuildMetadata } from './build-metadata';

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
  // Straight to the registry only the content tag is pushed; `push` moves the others.
  const where = meta.output === 'registry' ? ' into the registry' : '';
  return `${name}: built ${meta.reference}${where}${others.length ? ` (tags ${others.join(', ')})` : ''}${took}`;
}
