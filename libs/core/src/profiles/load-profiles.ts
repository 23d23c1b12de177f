import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../errors';
import { parseYamlDocument } from '../spec/parse-document';
import { schemaCheck } from '../spec/schema-check';
import profileSchema from './profile.schema.json';
import type { Profile, ProfileDefinition } from './types';

/**
 * Profiles are found by convention: every profiles/<name>/profile.yaml is one, with its
 * Handlebars fragments in profiles/<name>/fragments/<slot>.hbs. Nothing else registers them,
 * so adding profiles/rocm6 needs no change here.
 */
export function loadProfiles(workspaceRoot: string): {
  profiles: Map<string, Profile>;
  diagnostics: Diagnostic[];
} {
  const profiles = new Map<string, Profile>();
  const diagnostics: Diagnostic[] = [];
  const root = join(workspaceRoot, 'profiles');
  if (!existsSync(root)) return { profiles, diagnostics };
  for (const name of readdirSync(root).sort()) {
    const file = `profiles/${name}/profile.yaml`;
    const abs = join(workspaceRoot, file);
    if (!existsSync(abs)) continue;
    const parsed = parseYamlDocument(readFileSync(abs, 'utf8'), file);
    if (!parsed.doc) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const problems = schemaCheck(profileSchema, parsed.doc, file);
    if (problems.length > 0) {
      diagnostics.push(...problems);
      continue;
    }
    profiles.set(name, {
      name,
      dir: `profiles/${name}`,
      file,
      definition: parsed.doc.value as ProfileDefinition,
      fragments: readFragments(join(workspaceRoot, 'profiles', name, 'fragments')),
    });
  }
  return { profiles, diagnostics };
}

export function readFragments(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir).sort()) {
    if (f.endsWith('.hbs')) out[f.slice(0, -4)] = readFileSync(join(dir, f), 'utf8');
  }
  return out;
}
