import { join } from 'node:path';
import {
  loadWorkspace,
  readWorkspaceConfig,
  UsageError,
  type ImageVariant,
  type Workspace,
  type WorkspaceConfig,
} from '@imagesmith/core';
import {
  detectEngine,
  findRegistryCredentials,
  httpRegistryLookup,
  registryTimeoutMs,
  type CredentialSearch,
  type Engine,
  type EngineName,
  type RegistryLookup,
} from '@imagesmith/engine';
import type { ContextEntry } from './build-snapshot';
import { checkInSyncAndLocks, type InSync, withAncestors, loadPlanInputs } from '@imagesmith/plan';
import { readSpecFiles } from './files-context';
import { requireLocked } from './require-locked';
import type { Output } from './output';
import { diskReader } from '../../shared/builtin-assets';

export interface Session {
  root: string;
  ws: Workspace;
  config: WorkspaceConfig;
  engine: Engine;
  /** Where content-hash tags are looked up before building or validating. */
  registry: RegistryLookup;
  log: (line: string) => void;
  /** Verbosity and progress lines; quiet without progress when absent. */
  output?: Output;
  /**
   * The session's images (and their ancestors): generated files planned and checked in sync with
   * their specs and locks, once per command (on first use), from the workspace loaded once.
   */
  checked?: () => InSync;
}

/**
 * Load the workspace (only `images` and their ancestors when given: a broken spec elsewhere must
 * not fail this command) and find a usable engine (throws with install/start advice when none).
 */
export async function openSession(
  root: string,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  images?: string[],
  output?: Output,
  options: { requireLocked?: string } = {},
): Promise<Session> {
  // First: an unusable imagesmith.json or IMAGESMITH_* setting fails before anything runs.
  const config = readWorkspaceConfig(root);
  // One load per command: the specs (these images and their ancestors), profiles and locks.
  const inputs = loadPlanInputs(root, { images }, diskReader(root));
  const ws = inputs.ws;
  let inSync: InSync | undefined;
  const scope = images ? withAncestors(ws, images) : [...ws.specs.keys()];
  const checked = () => (inSync ??= checkInSyncAndLocks(root, scope, inputs));
  // An unlocked image or parent cannot be built: said before the engine is looked for.
  if (options.requireLocked) requireLocked(root, options.requireLocked, checked);
  if (config.builder && config.engine && config.engine !== 'docker')
    throw new UsageError(
      `a buildx builder ("${config.builder}", from IMAGESMITH_BUILDER, --builder or "builder" in imagesmith.json) needs the docker engine, not ${config.engine}: unset it or set IMAGESMITH_ENGINE=docker`,
    );
  // A builder means docker: its errors (no such builder) must not fall through to another engine.
  const engine = await detectOnce(
    (config.engine ?? (config.builder ? 'docker' : undefined)) as EngineName | undefined,
    config.builder,
  );
  return {
    root,
    ws,
    config,
    engine,
    registry: engineRegistryLookup(engine),
    log,
    output,
    checked,
  };
}

/** Engines found in this process, by what chose them: one detection per batch of Nx tasks. */
const detected = new Map<string, Promise<Engine>>();

function detectOnce(prefer: EngineName | undefined, builder: string | undefined): Promise<Engine> {
  const env = process.env;
  const key = JSON.stringify([
    prefer,
    builder,
    env.IMAGESMITH_DOCKER,
    env.IMAGESMITH_BUILDAH,
    env.IMAGESMITH_PODMAN,
    env.DOCKER_HOST,
    env.DOCKER_CONFIG,
    env.PATH,
  ]);
  let found = detected.get(key);
  if (!found) {
    found = detectEngine({ prefer, builder });
    detected.set(key, found);
    // A failed detection is not kept: the next command asks again (the daemon may be up by then).
    found.catch(() => detected.delete(key));
  }
  return found;
}

/**
 * Content-hash lookups with the engine's own login (docker's config.json or credential helper,
 * buildah/podman's auth.json), so the lookup sees what `pull` would: never anonymous only.
 */
export function engineRegistryLookup(
  engine: Pick<Engine, 'name'>,
  env: NodeJS.ProcessEnv = process.env,
): RegistryLookup {
  const found = new Map<string, Promise<CredentialSearch>>();
  return httpRegistryLookup({
    timeoutMs: registryTimeoutMs(env),
    credentials: (registry, repository) => {
      const key = `${registry}/${repository}`;
      let search = found.get(key);
      if (!search)
        found.set(
          key,
          (search = findRegistryCredentials(registry, repository, { engine: engine.name, env })),
        );
      return search;
    },
  });
}

/**
 * The build context of a variant: its generated Dockerfile and requirements files, checked to be in
 * sync (from the session's one check when given, else planned per image from the disk), and the
 * spec's files under files/ (files-context.ts).
 */
export function contextReader(root: string, checked?: () => InSync) {
  // Planned once per image: a matrix image's variants, and a build's parents, share it.
  const plans = new Map<string, Map<string, string>>();
  const planned = (image: string) => {
    if (checked) return checked().planned;
    let p = plans.get(image);
    if (!p)
      plans.set(
        image,
        (p = checkInSyncAndLocks(root, [image], undefined, diskReader(root)).planned),
      );
    return p;
  };
  return (v: ImageVariant): Record<string, ContextEntry> => {
    const files: Record<string, ContextEntry> = {};
    for (const [path, content] of [...planned(v.image).entries()].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (!path.startsWith(`${v.outDir}/`)) continue;
      const name = path.slice(v.outDir.length + 1);
      if (name === 'Dockerfile' || /^requirements.*\.txt$/.test(name)) files[name] = content;
    }
    return { ...files, ...readSpecFiles(root, v) };
  };
}

/** Per-variant state folder (git-ignored): build metadata, validate results, manifests. */
export function stateDir(root: string, v: ImageVariant): string {
  return join(root, v.outDir, '.imagesmith');
}
