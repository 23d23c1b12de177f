import { join } from 'node:path';
import { loadProfiles } from '../src/profiles/load-profiles';
import { readTemplates } from '../src/catalogue/load-workspace';
import { validateCatalogue, type SpecSource } from '../src/catalogue/validate-catalogue';
import type { Workspace } from '../src/catalogue/load-workspace';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** The repository's real profiles and templates, loaded once. */
export const realProfiles = loadProfiles(REPO_ROOT).profiles;
export const realTemplates = readTemplates(REPO_ROOT);

export function source(name: string, text: string): SpecSource {
  return { name, file: `images/${name}/image.yaml`, text };
}

/** Validate inline specs against the real profiles. */
export function check(specs: Record<string, string>) {
  return validateCatalogue(
    Object.entries(specs).map(([n, t]) => source(n, t)),
    realProfiles,
  );
}

/** A validated in-memory workspace from inline specs; throws if any spec is invalid. */
export function workspaceOf(specs: Record<string, string>): Workspace {
  const { specs: loaded, diagnostics } = check(specs);
  if (diagnostics.length > 0) throw new Error(JSON.stringify(diagnostics, null, 2));
  return { root: REPO_ROOT, specs: loaded, profiles: realProfiles, templates: realTemplates };
}
