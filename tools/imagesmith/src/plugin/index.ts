import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  createNodesFromFiles,
  DependencyType,
  type CreateDependencies,
  type CreateNodesV2,
  type RawProjectGraphDependency,
} from '@nx/devkit';
import { createImageTargets } from './create-targets';
import { readGraphFacts } from './read-image-spec';

/** Projects that every image is built from: changing any of them affects every image. */
const SHARED_PROJECTS = ['templates', 'core', 'lock', 'engine', 'imagesmith'];

/**
 * One project per images/<name>/image.yaml (with generate, lint, lock, build, validate, push...)
 * and one library per profiles/<name>/profile.yaml, so `nx affected` sees profile edits.
 */
export const createNodesV2: CreateNodesV2 = [
  '{images/*/image.yaml,profiles/*/profile.yaml}',
  (files, _options, context) =>
    createNodesFromFiles(
      (file) => {
        const root = dirname(file);
        const name = basename(root);
        if (file.startsWith('profiles/')) {
          return {
            projects: {
              [root]: {
                name: `profile-${name}`,
                root,
                projectType: 'library',
                tags: ['type:profile'],
                targets: {},
              },
            },
          };
        }
        const facts = readGraphFacts(context.workspaceRoot, file);
        return {
          projects: {
            [root]: {
              name,
              root,
              projectType: 'application',
              tags: ['type:image', ...(facts.profile ? [`profile:${facts.profile}`] : [])],
              targets: createImageTargets(name, root),
            },
          },
        };
      },
      files,
      _options,
      context,
    ),
];

/** Edges: image -> its catalogue base, its profile, and the shared generator projects. */
export const createDependencies: CreateDependencies = (_options, context) => {
  const deps: RawProjectGraphDependency[] = [];
  const projects = context.projects;
  const byName = new Map(Object.values(projects).map((p) => [p.name, p]));
  for (const project of Object.values(projects)) {
    if (!project.tags?.includes('type:image') || !project.name) continue;
    const specFile = join(project.root, 'image.yaml');
    if (!existsSync(join(context.workspaceRoot, specFile))) continue;
    const facts = readGraphFacts(context.workspaceRoot, specFile);
    const targets = [
      ...(facts.base && byName.has(facts.base) ? [facts.base] : []),
      ...(facts.profile && byName.has(`profile-${facts.profile}`)
        ? [`profile-${facts.profile}`]
        : []),
    ];
    for (const target of targets) {
      deps.push({
        source: project.name,
        target,
        type: DependencyType.static,
        sourceFile: specFile,
      });
    }
    for (const target of SHARED_PROJECTS.filter((t) => byName.has(t))) {
      deps.push({ source: project.name, target, type: DependencyType.implicit });
    }
  }
  return deps;
};
