import { resolveProfile } from '../profiles/resolve-profile';
import type { ResolvedProfile } from '../profiles/types';
import type { Workspace } from '../catalogue/load-workspace';
import { isCatalogueRef, pythonVersions } from '../spec/rules/rule';
import type { ImageSpec } from '../spec/types';

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
  user: RuntimeUser;
  workdir: string;
}

const DEFAULT_USER: RuntimeUser = { name: 'app', uid: 1000, gid: 1000 };
const DEFAULT_WORKDIR = '/workspace';

/** Every variant of one image. Assumes a validated workspace. Pure. */
export function resolveVariants(
  ws: Pick<Workspace, 'specs' | 'profiles'>,
  image: string,
): ImageVariant[] {
  const loaded = ws.specs.get(image);
  if (!loaded) throw new Error(`unknown image ${image}`);
  const spec = loaded.spec;
  const profile = ws.profiles.get(spec.profile);
  if (!profile) throw new Error(`unknown profile ${spec.profile}`);
  const resolved = resolveProfile(profile, spec.profile_options);
  const ancestors = ancestorsOf(ws, image);
  const parent = ancestors[0] !== undefined ? resolveVariants(ws, ancestors[0])[0] : undefined;
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
      : { kind: 'external', ref: spec.base ?? resolved.bases[python] ?? '' },
    ancestors,
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

/** Images ordered parents first (for generate, lock and build). */
export function topologicalOrder(ws: Pick<Workspace, 'specs'>): string[] {
  const names = [...ws.specs.keys()].sort();
  return names
    .map((n) => ({ n, depth: ancestorsOf(ws, n).length }))
    .sort((a, b) => a.depth - b.depth || a.n.localeCompare(b.n))
    .map((x) => x.n);
}
