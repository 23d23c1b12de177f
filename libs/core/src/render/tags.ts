import type { ImageVariant } from '../catalogue/variants';

export const DEFAULT_VERSION = '1.0';

/** Version tags: pinned <version>-r<revision> first, then the floating <version> (VESSL's scheme). */
export function versionTags(v: Pick<ImageVariant, 'spec' | 'matrix' | 'python'>): {
  pinned: string;
  floating: string;
} {
  const version = v.spec.version ?? DEFAULT_VERSION;
  const revision = v.spec.revision ?? 0;
  const stem = v.matrix ? `${version}-py${v.python}` : version;
  return { pinned: `${stem}-r${revision}`, floating: stem };
}

/** Full reference of a variant in the workspace repository. */
export function imageReference(repository: string, variantName: string, tag: string): string {
  return `${repository.replace(/\/$/, '')}/${variantName}:${tag}`;
}
