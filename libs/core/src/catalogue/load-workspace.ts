import { parse } from 'yaml';
import { SpecError, type Diagnostic } from '../errors';
import { loadLifecycles } from '../lifecycle/load-lifecycles';
import type { LifecycleTable } from '../lifecycle/types';
import { loadProfiles, profileFrom, readFragments } from '../profiles/load-profiles';
import type { Profile } from '../profiles/types';
import { capDiagnostics } from '../image-spec/excerpt';
import type { LoadedSpec } from '../image-spec/types';
import { readBaseDigests, type BaseDigests } from './base-digests';
import { requireImage } from './require-image';
import { validateCatalogue, type SpecSource } from './validate-catalogue';
import { readValidated, validationKey, writeValidated } from './validation-cache';
import { fsReader, type WorkspaceReader } from './workspace-reader';

export interface Workspace {
  root: string;
  specs: Map<string, LoadedSpec>;
  profiles: Map<string, Profile>;
  /** templates/<group>/<slot>.hbs -> source, keyed "<group>/<slot>". */
  templates: Record<string, string>;
  /** External base tag -> digest, from the committed base-digests.json (none when absent). */
  baseDigests?: BaseDigests;
  /** profiles/<name>/lifecycle.yaml by profile name: end-of-life dates (lifecycle/, the end-of-life guard). */
  lifecycles?: ReadonlyMap<string, LifecycleTable>;
}

/**
 * Read every spec, profile and template of a workspace and validate them; throws SpecError listing
 * every problem. Reads only through `reader` (the disk by default, or an Nx Tree).
 */
export function loadWorkspace(
  root: string,
  reader: WorkspaceReader = fsReader(root),
  options: { only?: string[] } = {},
): Workspace {
  // Validated specs and profiles (freshly or from the cache) plus what needs no validation.
  const assemble = (specs: Workspace['specs'], profiles: Workspace['profiles']): Workspace => ({
    root,
    specs,
    profiles,
    templates: readTemplates(root, reader),
    baseDigests: readBaseDigests(reader),
    lifecycles: readLifecycles(reader),
  });
  const read = readSpecSources(reader);
  let sources = read.sources;
  if (options.only) sources = withAncestors(sources, options.only);
  // A spec that could not be read (a link) fails only the commands whose images include it.
  const unreadable = sources.flatMap((s) => read.refused.get(s.name) ?? []);
  if (unreadable.length > 0) throw new SpecError(unreadable);
  const profileTexts = reader
    .list('profiles')
    .map((name): [string, string | undefined] => [
      name,
      reader.read(`profiles/${name}/profile.yaml`),
    ])
    .filter((e): e is [string, string] => e[1] !== undefined);
  const key = validationKey(sources, profileTexts);
  const known = readValidated(key);
  if (known) {
    const profiles = new Map(
      Object.entries(known.profiles).map(([name, definition]) => [
        name,
        profileFrom(reader, name, definition),
      ]),
    );
    const specs = new Map(known.specs.map((s) => [s.name, s]));
    return assemble(specs, profiles);
  }
  const { profiles, diagnostics: profileProblems } = loadProfiles(root, reader);
  const { specs, diagnostics } = validateCatalogue(
    sources,
    profiles,
    read.sources.map((s) => s.name),
  );
  const all = [...profileProblems, ...diagnostics];
  if (all.length > 0) throw new SpecError(capDiagnostics(all));
  writeValidated(key, {
    specs: [...specs.values()],
    profiles: Object.fromEntries([...profiles].map(([name, p]) => [name, p.definition])),
  });
  return assemble(specs, profiles);
}

// Every profile's lifecycle table is read on each load (a few small files): not part of the
// validation cache, so editing one takes effect at once. A broken one fails the load by name.
function readLifecycles(reader: WorkspaceReader): ReadonlyMap<string, LifecycleTable> {
  const { tables, diagnostics } = loadLifecycles(reader);
  if (diagnostics.length > 0) throw new SpecError(capDiagnostics(diagnostics));
  return tables;
}

/**
 * The named images and their catalogue ancestors: what a command on those images depends on. A
 * broken spec elsewhere in the catalogue does not change its result, so it must not fail it.
 * An unknown name is an error here, with a suggestion from the whole catalogue.
 */
export function withAncestors(sources: SpecSource[], names: string[]): SpecSource[] {
  const byName = new Map(sources.map((s) => [s.name, s]));
  for (const name of names) requireImage({ specs: byName }, name);
  const keep = new Set<string>();
  const visit = (name: string) => {
    const source = byName.get(name);
    if (!source || keep.has(name)) return;
    keep.add(name);
    const base = baseOf(source.text);
    if (base) visit(base);
  };
  names.forEach(visit);
  return sources.filter((s) => keep.has(s.name));
}

// Just the `base:` of a spec that may be invalid; validation reports what is wrong with it.
function baseOf(text: string): string | undefined {
  try {
    const doc = parse(text, { logLevel: 'error' }) as { base?: unknown } | null;
    return typeof doc?.base === 'string' ? doc.base : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every images/<name>/image.yaml; one the reader refuses (a symbolic link) is kept with empty
 * text, so it still counts as an image, and its problems are returned by name.
 */
export function readSpecSources(reader: WorkspaceReader): {
  sources: SpecSource[];
  refused: Map<string, Diagnostic[]>;
} {
  const sources: SpecSource[] = [];
  const refused = new Map<string, Diagnostic[]>();
  for (const name of reader.list('images')) {
    const file = `images/${name}/image.yaml`;
    try {
      const text = reader.read(file);
      if (text !== undefined) sources.push({ name, file, text });
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      refused.set(name, error.diagnostics);
      sources.push({ name, file, text: '' });
    }
  }
  return { sources: sources.sort((a, b) => a.name.localeCompare(b.name)), refused };
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
