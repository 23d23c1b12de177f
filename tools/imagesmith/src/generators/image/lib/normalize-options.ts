import type { Tree } from '@nx/devkit';
import { parse } from 'yaml';
import {
  fixedImageName,
  IMAGE_NAME,
  nearestImage,
  UsageError,
  type WorkspaceReader,
} from '@imagesmith/core';
import { projectNames } from '../../shared/project-names';
import { treeReader } from '../../shared/tree-reader';
import { pythonArg } from '../../shared/python-arg';
import type { ImageGeneratorSchema } from '../schema';
import { parsePackages, parsePorts } from './parse-list-options';

export interface NormalizedImageOptions {
  name: string;
  profile: string;
  base?: string;
  isCatalogueBase: boolean;
  python?: string;
  description: string;
  specFile: string;
  packages: Record<string, string>;
  ports: number[];
  profileOptions: Record<string, string>;
}

/** Check what can be checked before writing anything, with errors that say what to do. */
export function normalizeOptions(tree: Tree, o: ImageGeneratorSchema): NormalizedImageOptions {
  const name = checkName(tree, o.name?.trim() ?? '');
  const specFile = `images/${name}/image.yaml`;
  const profile = o.profile?.trim() || 'cpu';
  // The workspace's profiles and the built-in ones it does not replace.
  const profiles = treeReader(tree);
  const profileText = (p: string) => profiles.read(`profiles/${p}/profile.yaml`);
  if (profileText(profile) === undefined) {
    const known = profiles.list('profiles').filter((p) => profileText(p) !== undefined);
    throw new UsageError(
      `Unknown profile "${profile}". Use one of: ${known.join(', ') || '(none)'}; or scaffold one with \`nx g @imagesmith/nx-plugin:profile ${profile}\`.`,
    );
  }
  const base = o.base?.trim() || undefined;
  const isCatalogue = base !== undefined && /^[a-z0-9][a-z0-9._-]*$/.test(base);
  if (isCatalogue && !tree.exists(`images/${base}/image.yaml`)) {
    const guess = nearestImage(base, imageNames(tree));
    throw new UsageError(
      `Unknown base "${base}": no images/${base}/image.yaml.${guess ? ` Did you mean --base=${guess}?` : ''} Name a catalogue image, or an external image with an explicit tag (e.g. python:3.11-slim-bookworm).`,
    );
  }
  const python = pythonArg(o.python) || undefined;
  if (isCatalogue && python !== undefined)
    throw new UsageError(
      `--python=${python} cannot be used with --base=${base}: a catalogue base decides the Python version (its spec's python, which this image inherits). Leave out --python, or name an external base with an explicit tag.`,
    );
  return {
    name,
    profile,
    base,
    isCatalogueBase: isCatalogue,
    python: isCatalogue ? undefined : (python ?? '3.11'),
    description: o.description?.trim() || `${name} image`,
    specFile,
    packages: parsePackages(o.packages),
    ports: parsePorts(o.ports),
    profileOptions: cudaOption(profiles, profile, o.cuda),
  };
}

/** `--cuda=12.1`: the profile's `cuda` option (profiles/cuda12 declares one), as profile_options. */
function cudaOption(
  profiles: WorkspaceReader,
  profile: string,
  cuda: string | number | undefined,
): Record<string, string> {
  if (cuda === undefined || String(cuda).trim() === '') return {};
  const definition = (name: string) =>
    parse(profiles.read(`profiles/${name}/profile.yaml`) ?? '') as {
      options?: Record<string, { values?: Record<string, unknown> }>;
    } | null;
  const option = definition(profile)?.options?.cuda;
  if (!option) {
    const withCuda = profiles
      .list('profiles')
      .filter((p) => profiles.read(`profiles/${p}/profile.yaml`) && definition(p)?.options?.cuda);
    throw new UsageError(
      `--cuda: profile "${profile}" has no cuda option. Use --profile=${withCuda[0] ?? '<a CUDA profile>'} (profiles with one: ${withCuda.join(', ') || 'none'}), or leave out --cuda.`,
    );
  }
  const value = String(cuda).trim();
  const values = Object.keys(option.values ?? {});
  if (values.length > 0 && !values.includes(value))
    throw new UsageError(
      `--cuda=${value}: profile "${profile}" offers CUDA ${values.join(', ')}. Use one of those.`,
    );
  return { cuda: value };
}

function checkName(tree: Tree, name: string): string {
  if (!IMAGE_NAME.test(name)) {
    const fixed = fixedImageName(name);
    throw new UsageError(
      `"${name}" is not a valid image name: use lowercase letters, digits and dashes, e.g. ${fixed && IMAGE_NAME.test(fixed) ? fixed : 'team-serve'}.`,
    );
  }
  const taken = projectNames(tree).get(name);
  if (taken === `images/${name}`)
    throw new UsageError(
      `Image "${name}" already exists at images/${name}/image.yaml. Choose another --name, or edit that spec.`,
    );
  if (taken !== undefined)
    throw new UsageError(
      `"${name}" is already the name of the Nx project at ${taken}, and image names are Nx project names. Choose another name, e.g. ${name}-image.`,
    );
  return name;
}

function imageNames(tree: Tree): string[] {
  return tree.exists('images')
    ? tree.children('images').filter((i) => tree.exists(`images/${i}/image.yaml`))
    : [];
}
