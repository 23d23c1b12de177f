import { resolveProfile } from '../profiles/resolve-profile';
import type { ResolvedProfile } from '../profiles/types';
import { isCatalogueRef, pythonVersions } from '../image-spec/rules/rule';
import type { ImageSpec } from '../image-spec/types';
import type { Workspace } from './load-workspace';
import { pinnedReference } from './base-digests';
import { requireImage } from './require-image';

export interface RuntimeUser {
  name: string;
  uid: number;
  gid: number;
}

/** One buildable image: a spec, or one Python variant of a matrix spec, with everything resolved. */
export interface ImageVariant {
  image: string;
  /** image, or image-py3.10 for a matrix variant. */
  name: string;
  python: string;
  matrix: boolean;
  /** Where generated files go: images/x, or images/x/py3.10 for a variant (the path is the coordinates). */
  outDir: string;
  specFile: string;
  spec: ImageSpec;
  profile: ResolvedProfile;
  from: { kind: 'external'; ref: string } | { kind: 'catalogue'; image: string };
  /** Catalogue parents, nearest first. */
  ancestors: string[];
  /** The resolved catalogue parent, when there is one (what it installed, a child need not repeat). */
  parent?: ImageVariant;
  user: RuntimeUser;
  workdir: string;
}

const DEFAULT_USER: RuntimeUser = { name: 'app', uid: 1000, gid: 1000 };
const DEFAULT_WORKDIR = '/workspace';

/**
 * Every variant of one image. Assumes a validated workspace (a spec's profile exists); an unknown
 * image is a UsageError. Pure.
 */
export function resolveVariants(
  ws: Pick<Workspace, 'specs' | 'profiles' | 'baseDigests'>,
  image: string,
): ImageVariant[] {
  requireImage(ws, image);
  const loaded = ws.specs.get(image)!;
  const spec = loaded.spec;
  const profile = ws.profiles.get(spec.profile);
  // Validation rejects a spec whose profile is not installed, so this is a bug, not a user mistake.
  if (!profile) throw new Error(`unknown profile ${spec.profile} in a validated workspace`);
  const resolved = resolveProfile(profile, spec.profile_options);
  const ancestors = ancestorsOf(ws, image);
  const parent = parentVariant(ws, { ancestors });
  const versions = parent ? [parent.python] : pythonVersions(spec);
  const matrix = versions.length > 1;
  return versions.map((python) => ({
    image,
    name: matrix ? `${image}-py${python}` : image,
    python,
    matrix,
    outDir: matrix ? `${loaded.dir}/py${python}` : loaded.dir,
    specFile: loaded.file,
    spec,
    profile: resolved,
    from: parent
      ? { kind: 'catalogue', image: parent.name }
      : {
          kind: 'external',
          ref: pinnedReference(spec.base ?? resolved.bases[python] ?? '', ws.baseDigests),
        },
    ancestors,
    ...(parent ? { parent } : {}),
    user: { ...(parent?.user ?? DEFAULT_USER), ...spec.user } as RuntimeUser,
    workdir: spec.workdir ?? parent?.workdir ?? DEFAULT_WORKDIR,
  }));
}

/** Catalogue parents of an image, nearest first. */
export function ancestorsOf(ws: Pick<Workspace, 'specs'>, image: string): string[] {
  const out: string[] = [];
  let base = ws.specs.get(image)?.spec.base;
  while (base !== undefined && isCatalogueRef(base) && ws.specs.has(base) && !out.includes(base)) {
    out.push(base);
    base = ws.specs.get(base)?.spec.base;
  }
  return out;
}

/**
 * The variant a catalogue child builds FROM: the first variant of its nearest catalogue parent
 * (a child has the parent's one Python), or undefined on an external base.
 */
export function parentVariant(
  ws: Pick<Workspace, 'specs' | 'profiles'>,
  v: Pick<ImageVariant, 'ancestors'>,
): ImageVariant | undefined {
  const [parent] = v.ancestors;
  return parent === undefined ? undefined : resolveVariants(ws, parent)[0];
}
