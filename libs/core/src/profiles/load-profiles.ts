import type { Diagnostic } from '../errors';
import { fsReader, type WorkspaceReader } from '../catalogue/workspace-reader';
import { parseYamlDocument } from '../image-spec/parse-document';
import { schemaCheck } from '../image-spec/schema-check';
import profileSchema from './profile.schema.json';
import type { Profile, ProfileDefinition } from './types';

/**
 * Profiles are found by convention: every profiles/<name>/profile.yaml is one, with its
 * Handlebars fragments in profiles/<name>/fragments/<slot>.hbs. Nothing else registers them,
 * so adding profiles/rocm6 needs no change here. Through a layeredReader the built-in profiles
 * are listed too, a workspace folder of the same name replacing the built-in one whole.
 */
export function loadProfiles(
  workspaceRoot: string,
  reader: WorkspaceReader = fsReader(workspaceRoot),
): {
  profiles: Map<string, Profile>;
  diagnostics: Diagnostic[];
} {
  const profiles = new Map<string, Profile>();
  const diagnostics: Diagnostic[] = [];
  for (const name of reader.list('profiles')) {
    const file = `profiles/${name}/profile.yaml`;
    const text = reader.read(file);
    if (text === undefined) continue;
    const builtin = reader.builtinPath?.(file);
    const parsed = parseYamlDocument(text, builtin ?? file);
    const problems = parsed.doc ? schemaCheck(profileSchema, parsed.doc, builtin ?? file) : [];
    if (!parsed.doc || problems.length > 0) {
      const found = parsed.doc ? problems : parsed.diagnostics;
      diagnostics.push(...(builtin ? found.map((d) => builtinProblem(d, name)) : found));
      continue;
    }
    profiles.set(name, profileFrom(reader, name, parsed.doc.value as ProfileDefinition));
  }
  return { profiles, diagnostics };
}

/**
 * A problem in a built-in profile, named by its absolute path (the diagnostic's file) and said to
 * be the built-in one, with the way to replace it, since the user cannot edit the package.
 */
function builtinProblem(d: Diagnostic, name: string): Diagnostic {
  return {
    ...d,
    message: `${d.message} (in imagesmith's built-in profile "${name}")`,
    hint: `${d.hint ? `${d.hint}; ` : ''}a built-in profile is replaced by adding a folder profiles/${name}/ (profile.yaml and fragments/) to the workspace`,
  };
}

/** A profile from its (valid) definition, with its fragments read from profiles/<name>/fragments. */
export function profileFrom(
  reader: WorkspaceReader,
  name: string,
  definition: ProfileDefinition,
): Profile {
  return {
    name,
    dir: `profiles/${name}`,
    file: `profiles/${name}/profile.yaml`,
    definition,
    fragments: readFragments(reader, `profiles/${name}/fragments`),
  };
}

/** The `.hbs` files of a folder, keyed by name without the extension. */
export function readFragments(reader: WorkspaceReader, dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of reader.list(dir)) {
    if (f.endsWith('.hbs')) out[f.slice(0, -4)] = reader.read(`${dir}/${f}`) ?? '';
  }
  return out;
}
