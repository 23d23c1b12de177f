import { SpecError } from '../errors';
import { loadProfiles, readFragments } from '../profiles/load-profiles';
import type { Profile } from '../profiles/types';
import type { LoadedSpec } from '../spec/types';
import { validateCatalogue, type SpecSource } from './validate-catalogue';
import { fsReader, type WorkspaceReader } from './workspace-reader';

export interface Workspace {
  root: string;
  specs: Map<string, LoadedSpec>;
  profiles: Map<string, Profile>;
  /** templates/<group>/<slot>.hbs -> source, keyed "<group>/<slot>". */
  templates: Record<string, string>;
}

/**
 * Read every spec, profile and template of a workspace and validate them; throws SpecError listing
 * every problem. Reads only through `reader` (the disk by default, or an Nx Tree).
 */
export function loadWorkspace(root: string, reader: WorkspaceReader = fsReader(root)): Workspace {
  const { profiles, diagnostics: profileProblems } = loadProfiles(root, reader);
  const { specs, diagnostics } = validateCatalogue(readSpecSources(root, reader), profiles);
  const all = [...profileProblems, ...diagnostics];
  if (all.length > 0) throw new SpecError(all);
  return { root, specs, profiles, templates: readTemplates(root, reader) };
}

export function readSpecSources(
  root: string,
  reader: WorkspaceReader = fsReader(root),
): SpecSource[] {
  const sources: SpecSource[] = [];
  for (const name of reader.list('images')) {
    const file = `images/${name}/image.yaml`;
    const text = reader.read(file);
    if (text !== undefined) sources.push({ name, file, text });
  }
  return sources.sort((a, b) => a.name.localeCompare(b.name));
}

export function readTemplates(
  root: string,
  reader: WorkspaceReader = fsReader(root),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of reader.list('templates')) {
    if (!reader.isDir(`templates/${group}`)) continue;
    for (const [slot, text] of Object.entries(readFragments(reader, `templates/${group}`)))
      out[`${group}/${slot}`] = text;
  }
  return out;
}
