import { loadWorkspace } from '@imagesmith/core';
import { diskReader } from '../../shared/builtin-assets';
import { nxShowProjects } from '../../workflows/selection/nx-projects';
import { selectImages, type ListProjects } from '../../workflows/selection/select-images';
import type { CommandInput, OptionSpec } from './command';

/** The options every catalogue-wide command takes beside its image names. */
export const SELECTION_OPTIONS: Record<string, OptionSpec> = {
  projects: {
    type: 'string',
    multiple: true,
    short: 'p',
    value: 'pattern,...',
    description: 'only the images matching these Nx project names/globs (as `nx run-many -p`)',
  },
  affected: {
    type: 'boolean',
    description:
      'only the images Nx reports affected (between --base and --head, or NX_BASE/NX_HEAD)',
  },
  base: { type: 'string', value: 'ref', description: 'with --affected: the base commit' },
  head: { type: 'string', value: 'ref', description: 'with --affected: the head commit' },
};

/** The images named on the command line, or undefined for the whole catalogue. */
export async function selectedImages(
  { root, positionals, values }: CommandInput,
  listProjects: ListProjects = nxShowProjects(root),
): Promise<string[] | undefined> {
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return selectImages(
    loadWorkspace(root, diskReader(root)),
    {
      names: positionals,
      projects: values.projects as string[] | undefined,
      affected:
        values.affected || values.base || values.head
          ? { base: str(values.base), head: str(values.head) }
          : undefined,
    },
    listProjects,
  );
}
