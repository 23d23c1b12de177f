import type { Tree } from '@nx/devkit';
import { fixedImageName, UsageError } from '@imagesmith/core';
import { projectNames } from '../../shared/project-names';
import { pythonArg } from '../../shared/python-arg';
import type { ProfileGeneratorSchema } from '../schema';

export interface NormalizedProfileOptions {
  name: string;
  hardware: string;
  base: string;
  pythonVersions: string[];
  pythonInstall: 'provided' | 'apt';
  description: string;
  dir: string;
}

const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const TAGGED = /^[a-z0-9]+([._\/:-][a-z0-9]+)*:[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function normalizeOptions(tree: Tree, o: ProfileGeneratorSchema): NormalizedProfileOptions {
  const name = o.name?.trim() ?? '';
  if (!NAME.test(name)) {
    const fixed = fixedImageName(name);
    throw new UsageError(
      `"${name}" is not a valid profile name. Use lowercase letters, digits and dashes, e.g. ${NAME.test(fixed) ? fixed : 'rocm6'}.`,
    );
  }
  const dir = `profiles/${name}`;
  if (tree.exists(`${dir}/profile.yaml`))
    throw new UsageError(
      `Profile "${name}" already exists at ${dir}/profile.yaml. Choose another name, or edit that file.`,
    );
  // The profile becomes the Nx project profile-<name>.
  const taken = projectNames(tree).get(`profile-${name}`);
  if (taken !== undefined)
    throw new UsageError(
      `"profile-${name}" is already the name of the Nx project at ${taken}. Choose another profile name.`,
    );
  const base = o.base?.trim() ?? '';
  if (!TAGGED.test(base) || base.endsWith(':latest'))
    throw new UsageError(
      `--base "${base}" needs an explicit, non-latest tag, e.g. --base=rocm/dev-ubuntu-22.04:6.1.2.`,
    );
  const pythonVersions = (pythonArg(o.pythonVersions) ?? '3.10')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = pythonVersions.find((v) => !/^3\.\d{1,2}$/.test(v));
  if (bad !== undefined || pythonVersions.length === 0)
    throw new UsageError(
      `--pythonVersions "${o.pythonVersions}" must list versions like 3.10,3.11.`,
    );
  return {
    name,
    hardware: o.hardware?.trim() || 'cpu',
    base,
    pythonVersions,
    pythonInstall: o.pythonInstall ?? 'apt',
    description: o.description?.trim() || `${name} hardware profile`,
    dir,
  };
}
