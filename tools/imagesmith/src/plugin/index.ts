import { basename, dirname, join } from 'node:path';
import type {
  CreateDependencies,
  CreateNodes,
  CreateNodesResult,
  DependencyType,
  ProjectConfiguration,
  RawProjectGraphDependency,
} from '@nx/devkit';
import { createImageTargets, DEFAULT_CLI } from './create-targets';
import { readGraphFacts, type GraphFacts } from './read-image-spec';

// This file is loaded in Nx's isolated plugin worker on every Nx command: it imports nothing but
// the spec reader (no validation, rendering or linting), and runs as a prebuilt bundle
// (tools/imagesmith/plugin.cjs). Type-only imports from @nx/devkit cost nothing at run time.

// DependencyType's values, without loading @nx/devkit for an enum.
const DEP_STATIC = 'static' as DependencyType.static;
const DEP_IMPLICIT = 'implicit' as DependencyType.implicit;

/** The plugin's options (nx.json `plugins`: `{ "plugin": "@imagesmith/nx-plugin", "options": {...} }`). */
export interface ImagesmithPluginOptions {
  /** The command targets run the CLI with (default `npx imagesmith`). */
  cli?: string;
}

interface ImageMetadata {
  imagesmith?: GraphFacts;
}

/**
 * One project per images/<name>/image.yaml (lint, lock, build, validate, push...) and one library
 * per profiles/<name>/profile.yaml, so that `nx affected` sees profile edits.
 */
export const createNodes: CreateNodes<ImagesmithPluginOptions> = [
  '{images/*/image.yaml,profiles/*/profile.yaml}',
  (files, options, context) =>
    files.map((file): readonly [string, CreateNodesResult] => {
      const root = dirname(file);
      const name = basename(root);
      if (file.startsWith('profiles/')) {
        const profile: ProjectConfiguration = {
          name: `profile-${name}`,
          root,
          projectType: 'library',
          tags: ['type:profile'],
          targets: {},
        };
        return [file, { projects: { [root]: profile } }];
      }
      const facts = readGraphFacts(context.workspaceRoot, file);
      const image: ProjectConfiguration & { metadata: ImageMetadata } = {
        name,
        root,
        projectType: 'application',
        tags: ['type:image', ...(facts.profile ? [`profile:${facts.profile}`] : [])],
        targets: createImageTargets(name, root, options?.cli ?? DEFAULT_CLI),
        metadata: { imagesmith: facts },
      };
      return [file, { projects: { [root]: image } }];
    }),
];

/**
 * Edges: image -> its catalogue base, its profile and the shared templates. The code that renders
 * and builds is not a project dependency but a target input (`imagesmithCode` in nx.json), so a
 * test or README in the libraries affects no image.
 */
export const createDependencies: CreateDependencies = (_options, context) => {
  const deps: RawProjectGraphDependency[] = [];
  const names = new Set(Object.values(context.projects).map((p) => p.name));
  for (const project of Object.values(context.projects)) {
    const facts = (project.metadata as ImageMetadata | undefined)?.imagesmith;
    if (!facts || !project.name) continue;
    const sourceFile = join(project.root, 'image.yaml');
    const targets = [facts.base, facts.profile && `profile-${facts.profile}`].filter(
      (t): t is string => Boolean(t) && names.has(t as string) && t !== project.name,
    );
    for (const target of targets)
      deps.push({ source: project.name, target, type: DEP_STATIC, sourceFile });
    if (names.has('templates'))
      deps.push({ source: project.name, target: 'templates', type: DEP_IMPLICIT });
  }
  return deps;
};
