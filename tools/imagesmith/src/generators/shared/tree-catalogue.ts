import type { Tree } from '@nx/devkit';
import { parse } from 'yaml';
import {
  validateCatalogue,
  type Diagnostic,
  type LoadedSpec,
  type Profile,
  type ProfileDefinition,
} from '@imagesmith/core';

/** Profiles as the virtual tree has them (definition and fragments), keyed by folder name. */
export function profilesFromTree(tree: Tree): Map<string, Profile> {
  const out = new Map<string, Profile>();
  if (!tree.exists('profiles')) return out;
  for (const name of tree.children('profiles').sort()) {
    const file = `profiles/${name}/profile.yaml`;
    if (!tree.exists(file)) continue;
    const fragments: Record<string, string> = {};
    const dir = `profiles/${name}/fragments`;
    if (tree.exists(dir))
      for (const f of tree.children(dir))
        if (f.endsWith('.hbs')) fragments[f.slice(0, -4)] = tree.read(`${dir}/${f}`, 'utf-8') ?? '';
    out.set(name, {
      name,
      dir: `profiles/${name}`,
      file,
      definition: parse(tree.read(file, 'utf-8') ?? '') as ProfileDefinition,
      fragments,
    });
  }
  return out;
}

/** Validate every spec in the tree, the new one included, exactly as `imagesmith generate` would. */
export function validateTree(tree: Tree): {
  specs: Map<string, LoadedSpec>;
  profiles: Map<string, Profile>;
  diagnostics: Diagnostic[];
} {
  const profiles = profilesFromTree(tree);
  const sources = tree.exists('images')
    ? tree
        .children('images')
        .filter((n) => tree.exists(`images/${n}/image.yaml`))
        .map((n) => ({
          name: n,
          file: `images/${n}/image.yaml`,
          text: tree.read(`images/${n}/image.yaml`, 'utf-8') ?? '',
        }))
    : [];
  return { ...validateCatalogue(sources, profiles), profiles };
}
