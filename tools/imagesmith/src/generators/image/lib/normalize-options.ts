import type { Tree } from '@nx/devkit';
import { fixedImageName, IMAGE_NAME, nearestImage, UsageError } from '@imagesmith/core';
import { projectNames } from '../../shared/project-names';
import { pythonArg } from '../../shared/python-arg';
import type { ImageGeneratorSchema } from '../schema';

export interface NormalizedImageOptions {
  name: string;
  profile: string;
  base?: string;
  python?: string;
  description: string;
  specFile: string;
}

/** Check what can be checked before writing anything, with errors that say what to do. */
export function normalizeOptions(tree: Tree, o: ImageGeneratorSchema): NormalizedImageOptions {
  const name = checkName(tree, o.name?.trim() ?? '');
  const specFile = `images/${name}/image.yaml`;
  const profile = o.profile?.trim() || 'cpu';
  if (!tree.exists(`profiles/${profile}/profile.yaml`)) {
    const known = tree.exists('profiles')
      ? tree.children('profiles').filter((p) => tree.exists(`profiles/${p}/profile.yaml`))
      : [];
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
  return {
    name,
    profile,
    base,
    python: isCatalogue ? undefined : pythonArg(o.python) || '3.11',
    description: o.description?.trim() || `${name} image`,
    specFile,
  };
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
