import type { Tree } from '@nx/devkit';

/** The JSON schemas a generated YAML file can name: its path in this repository's sources. */
const SOURCES = {
  image: 'libs/core/src/image-spec/image.schema.json',
  profile: 'libs/core/src/profiles/profile.schema.json',
} as const;

/** Where the installed package keeps them (tools/imagesmith/pack-build.cjs, assets/schemas). */
const INSTALLED = 'node_modules/@imagesmith/nx-plugin/assets/schemas';

/**
 * The `# yaml-language-server: $schema=...` line for a file two folders below the workspace root
 * (images/<name>/image.yaml, profiles/<name>/profile.yaml): this repository's schema where the
 * workspace has the tool's sources, else the installed package's copy, so an editor finds it in a
 * team's workspace too.
 */
export function schemaHeader(tree: Tree, kind: keyof typeof SOURCES): string {
  const path = tree.exists(SOURCES[kind]) ? SOURCES[kind] : `${INSTALLED}/${kind}.schema.json`;
  return `# yaml-language-server: $schema=../../${path}\n`;
}
