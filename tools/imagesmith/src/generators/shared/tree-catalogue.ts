import type { Tree } from '@nx/devkit';
import {
  loadProfiles,
  validateCatalogue,
  type Diagnostic,
  type LoadedSpec,
  type Profile,
} from '@imagesmith/core';
import { treeReader } from './tree-reader';

/**
 * Profiles as the virtual tree has them over the built-in ones, keyed by name, with the problems
 * of those that are invalid (left out), exactly as `imagesmith generate` loads them.
 */
export function profilesFromTree(tree: Tree): {
  profiles: Map<string, Profile>;
  diagnostics: Diagnostic[];
} {
  return loadProfiles(tree.root, treeReader(tree));
}

/** Validate every spec in the tree, the new one included, exactly as `imagesmith generate` would. */
export function validateTree(tree: Tree): {
  specs: Map<string, LoadedSpec>;
  profiles: Map<string, Profile>;
  diagnostics: Diagnostic[];
} {
  const { profiles, diagnostics: profileProblems } = profilesFromTree(tree);
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
  const { specs, diagnostics } = validateCatalogue(sources, profiles);
  return { specs, profiles, diagnostics: [...profileProblems, ...diagnostics] };
}
