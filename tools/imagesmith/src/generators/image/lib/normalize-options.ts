import type { Tree } from '@nx/devkit';
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

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Check what can be checked before writing anything, with errors that say what to do. */
export function normalizeOptions(tree: Tree, o: ImageGeneratorSchema): NormalizedImageOptions {
  const name = o.name?.trim() ?? '';
  if (!NAME.test(name))
    throw new Error(
      `"${name}" is not a valid image name. Use lowercase letters, digits and dashes, e.g. --name=team-serve.`,
    );
  const specFile = `images/${name}/image.yaml`;
  if (tree.exists(specFile))
    throw new Error(
      `Image "${name}" already exists at ${specFile}. Choose another --name, or edit that spec.`,
    );
  const profile = o.profile?.trim() || 'cpu';
  if (!tree.exists(`profiles/${profile}/profile.yaml`)) {
    const known = tree.exists('profiles')
      ? tree.children('profiles').filter((p) => tree.exists(`profiles/${p}/profile.yaml`))
      : [];
    throw new Error(
      `Unknown profile "${profile}". Use one of: ${known.join(', ') || '(none)'}; or scaffold one with \`nx g @imagesmith/nx-plugin:profile ${profile}\`.`,
    );
  }
  const base = o.base?.trim() || undefined;
  const isCatalogue = base !== undefined && /^[a-z0-9][a-z0-9._-]*$/.test(base);
  if (isCatalogue && !tree.exists(`images/${base}/image.yaml`)) {
    throw new Error(
      `Unknown base "${base}": no images/${base}/image.yaml. Name a catalogue image, or an external image with an explicit tag (e.g. python:3.11-slim-bookworm).`,
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
