import type { Tree } from '@nx/devkit';
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
  if (!NAME.test(name))
    throw new Error(
      `"${name}" is not a valid profile name. Use lowercase letters, digits and dashes, e.g. rocm6.`,
    );
  const dir = `profiles/${name}`;
  if (tree.exists(`${dir}/profile.yaml`))
    throw new Error(
      `Profile "${name}" already exists at ${dir}/profile.yaml. Choose another name, or edit that file.`,
    );
  const base = o.base?.trim() ?? '';
  if (!TAGGED.test(base) || base.endsWith(':latest'))
    throw new Error(
      `--base "${base}" needs an explicit, non-latest tag, e.g. --base=rocm/dev-ubuntu-22.04:6.1.2.`,
    );
  const pythonVersions = (pythonArg(o.pythonVersions) ?? '3.10')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = pythonVersions.find((v) => !/^3\.\d{1,2}$/.test(v));
  if (bad !== undefined || pythonVersions.length === 0)
    throw new Error(`--pythonVersions "${o.pythonVersions}" must list versions like 3.10,3.11.`);
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
