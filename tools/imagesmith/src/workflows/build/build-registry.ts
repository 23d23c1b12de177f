import { withTag, type RegistryClient } from '@imagesmith/engine';
import type { BuildPlan } from '../shared/build-plan';
import type { Session } from '../shared/engine-context';

/** BASE_IMAGE as `<content tag>@<digest>` when the digest is known or the registry names one. */
export async function digestReference(
  s: Session,
  ref: string,
  known: string | undefined,
): Promise<Record<string, string>> {
  const registry = s.registry as Partial<RegistryClient>;
  const digest =
    known ?? (registry.manifestDigest ? await registry.manifestDigest(ref) : undefined);
  return digest ? { BASE_IMAGE: `${ref}@${digest}` } : {};
}

/** The registry reference of a variant's build cache (`mode=max`, exported by registry builds). */
export function cacheRef(plan: BuildPlan): string {
  return withTag(plan.refs.content, `buildcache${plan.stage === 'development' ? '-dev' : ''}`);
}

/** The refs the registry holds (asked in parallel); none when the registry is not to be asked. */
export async function presentRefs(s: Session, ask: boolean, refs: string[]): Promise<string[]> {
  if (!ask) return [];
  const held = await Promise.all(refs.map((r) => s.registry.hasTag(r).catch(() => false)));
  return refs.filter((_, i) => held[i]);
}

/**
 * Where this run's builds go: the configured output, else the engine for builders that build into
 * it (docker's own driver, buildah, podman) and the registry for any other (a remote BuildKit has
 * no local image store: loading would copy every image back).
 */
export async function buildOutput(s: Session): Promise<'engine' | 'registry'> {
  if (s.config.buildOutput) return s.config.buildOutput;
  return (await s.engine.buildsIntoEngine()) ? 'engine' : 'registry';
}
