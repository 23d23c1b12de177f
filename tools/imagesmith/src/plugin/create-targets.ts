import type { TargetConfiguration } from '@nx/devkit';

/**
 * How targets run the CLI: the package's bin, as a workspace that installed it from npm has it.
 * The plugin option `cli` (nx.json) replaces it: this repository runs its own sources with
 * `node tools/imagesmith/bin/imagesmith.cjs`, so that a test workspace copied from it runs its copy.
 */
export const DEFAULT_CLI = 'npx imagesmith';
export const ENGINE_EXECUTOR = '@imagesmith/nx-plugin:engine';

/**
 * Renders every image's generated files: a global sync generator (nx.json), run by `nx sync` and
 * checked by `nx sync:check`. No target declares it in `syncGenerators`: outside a terminal Nx 23
 * exits 1 before such a task when the generator reports changes, whatever `sync.applyChanges`
 * says (nx/src/tasks-runner/run-command.js, ensureWorkspaceIsInSyncAndGetGraphs), which blocked
 * `lock`, the target that makes a stale tree fresh, and hid imagesmith's own message (the files
 * and `npx nx sync`, check-in-sync.ts) behind Nx's.
 */
export const SYNC_IMAGES = '@imagesmith/nx-plugin:sync-images';

// Inputs. `imageFiles` (the image's folder) and `^imageFiles` (its parent image, profile and the
// shared templates, reached through project dependencies) are named in nx.json; so is
// `imagesmithCode`, the code that renders and builds, without its tests, so that editing a test,
// a benchmark or a README marks no image affected.
//
// base-digests.json (external base tag -> digest) is deliberately not an input: Nx can only mark
// every project that names a file as affected, so one tag's new digest would touch every image on
// any external base. Its digests reach each image through its generated Dockerfile
// (`ARG BASE_IMAGE=tag@digest`, inside `imageFiles`), which `imagesmith pin-bases` and `nx sync`
// rewrite only for the images on a changed tag, and `nx sync:check` fails when one was not.
const SOURCES = ['imageFiles', '^imageFiles', 'imagesmithCode'];
// The day lint's end-of-life guard judges by: a cached result of yesterday is not today's.
const LINT_DAY = [
  { env: 'IMAGESMITH_TODAY' },
  { runtime: 'node -e "process.stdout.write(new Date().toISOString().slice(0, 10))"' },
];
// Settings that change what build and push produce (tags, registry, mirrors).
const SETTINGS = [
  '{workspaceRoot}/imagesmith.json',
  { env: 'IMAGESMITH_REPOSITORY' },
  { env: 'IMAGESMITH_REGISTRY_MIRROR' },
  { env: 'IMAGESMITH_PIP_INDEX' },
  { env: 'IMAGESMITH_APT_MIRROR' },
  { env: 'IMAGESMITH_ENGINE' },
  { env: 'IMAGESMITH_BUILDER' },
  { env: 'IMAGESMITH_BUILD_OUTPUT' },
];

function command(
  cmd: string,
  description: string,
  extra: Partial<TargetConfiguration> = {},
): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    options: { command: cmd, cwd: '{workspaceRoot}' },
    metadata: { description, technologies: ['docker'] },
    ...extra,
  };
}

/**
 * A build or validate target: the batch executor (executors.json), so that one Nx run builds and
 * validates every image in one process instead of starting the CLI once per image.
 */
function engineTarget(
  options: Record<string, string>,
  description: string,
  extra: Partial<TargetConfiguration> = {},
): TargetConfiguration {
  return {
    executor: ENGINE_EXECUTOR,
    options,
    metadata: { description, technologies: ['docker'] },
    ...extra,
  };
}

/** Targets of one image project. Pure: (name, root) in, target map out. */
export function createImageTargets(
  name: string,
  root: string,
  cli: string = DEFAULT_CLI,
): Record<string, TargetConfiguration> {
  return {
    lint: command(
      `${cli} lint ${name}`,
      `Lint ${root}'s generated Dockerfiles`,
      // Generated files are inputs here: lint reads them and writes nothing. hadolint's config too.
      // So is the day: the end-of-life guard warns and fails by date (IMAGESMITH_TODAY, else UTC).
      { cache: true, inputs: [...SOURCES, '{workspaceRoot}/.hadolint.yaml', ...LINT_DAY] },
    ),
    lock: command(
      `${cli} lock ${name}`,
      `Pin every Python package of ${name} in poetry.lock (parents first)`,
      { cache: false, dependsOn: ['^lock'], inputs: SOURCES },
    ),
    build: engineTarget(
      { command: 'build', image: name },
      `Build ${name} with the container engine; skipped when the image for this exact content already exists`,
      {
        // Not Nx-cached on purpose: only the engine or registry can prove an image exists.
        cache: false,
        dependsOn: ['^build'],
        inputs: [...SOURCES, ...SETTINGS],
        configurations: {
          production: { stage: 'production' },
          development: { stage: 'development' },
        },
        defaultConfiguration: 'production',
      },
    ),
    validate: engineTarget(
      { command: 'validate', image: name },
      `Run ${name}'s test contract (and its parents') inside the built image`,
      { cache: false, dependsOn: ['build'], inputs: [...SOURCES, ...SETTINGS] },
    ),
    push: command(`${cli} push ${name}`, `Push ${name}'s tags to the workspace registry`, {
      // Parents first, one at a time: a child's push then finds its parent in the registry and
      // tags it there, instead of two tasks pushing the same image index at once.
      dependsOn: ['build', '^push'],
      inputs: [...SOURCES, ...SETTINGS],
    }),
    verify: command(
      `${cli} verify ${name}`,
      `Check that ${name}'s content-hash and pinned tags in the registry are signed by the workspace's public key`,
      // Not Nx-cached: only the registry knows what a tag names now.
      { cache: false },
    ),
    promote: command(
      `${cli} promote ${name}`,
      `Copy ${name}'s pushed image by digest, with its signatures and attestations, to the repository --to names, once imagesmith.json's promote.requires verifies (never builds)`,
      // Not Nx-cached: what it copies and checks lives in registries.
      { cache: false },
    ),
    manifest: command(
      `${cli} manifest ${name}`,
      `Write the Debian and Python packages installed in ${name} to ${root}/.imagesmith/manifest.md`,
      { dependsOn: ['build'], inputs: [...SOURCES, ...SETTINGS] },
    ),
    start: command(
      `${cli} start ${name}`,
      `Build (if needed) and start a development container of ${name} with the workspace mounted`,
      { dependsOn: ['^build'], inputs: [...SOURCES, ...SETTINGS] },
    ),
    stop: command(`${cli} stop ${name}`, `Stop ${name}'s development container`),
  };
}
