import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '../errors';
import { loadProfiles } from '../profiles/load-profiles';
import type { Profile } from '../profiles/types';
import type { LoadedSpec } from '../spec/types';
import { validateCatalogue, type SpecSource } from './validate-catalogue';

export interface Workspace {
  root: string;
  specs: Map<string, LoadedSpec>;
  profiles: Map<string, Profile>;
  /** templates/<group>/<slot>.hbs -> source, keyed "<group>/<slot>". */
  templates: Record<string, string>;
}

/** Read every spec, profile and template of a workspace and validate them; throws SpecError listing every problem. */
export function loadWorkspace(root: string): Workspace {
  const { profiles, diagnostics: profileProblems } = loadProfiles(root);
  const { specs, diagnostics } = validateCatalogue(readSpecSources(root), profiles);
  const all = [...profileProblems, ...diagnostics];
  if (all.length > 0) throw new SpecError(all);
  return { root, specs, profiles, templates: readTemplates(root) };
}

export function readSpecSources(root: string): SpecSource[] {
  const dir = join(root, 'images');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'image.yaml')))
    .map((d) => ({
      name: d.name,
      file: `images/${d.name}/image.yaml`,
      text: readFileSync(join(dir, d.name, 'image.yaml'), 'utf8'),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function readTemplates(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const dir = join(root, 'templates');
  if (!existsSync(dir)) return out;
  for (const group of readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    for (const f of readdirSync(join(dir, group)).sort()) {
      if (f.endsWith('.hbs'))
        out[`${group}/${f.slice(0, -4)}`] = readFileSync(join(dir, group, f), 'utf8');
    }
  }
  return out;
}
