import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  httpRegistryLookup,
  type Engine,
  type EngineName,
  type RegistryLookup,
} from '@imagesmith/engine';

export interface Session {
  root: string;
  ws: Workspace;
  config: WorkspaceConfig;
  engine: Engine;
  /** Where content-hash tags are looked up before building or validating. */
  registry: RegistryLookup;
  log: (line: string) => void;
}

/** Load the workspace and find a usable engine (throws with install/start advice when none). */
export async function openSession(
  root: string,
  log: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<Session> {
  const ws = loadWorkspace(root);
  const config = readWorkspaceConfig(root);
  const engine = await detectEngine({ prefer: config.engine as EngineName | undefined });
  await engine.info();
  return { root, ws, config, engine, registry: httpRegistryLookup(), log };
}

/** The generated build context of a variant: Dockerfile and requirements files. */
export function contextReader(root: string) {
  return (v: ImageVariant): Record<string, string> => {
    const dir = join(root, v.outDir);
    if (!existsSync(join(dir, 'Dockerfile')))
      throw new UsageError(
        `${v.outDir}/Dockerfile does not exist; run \`nx run ${v.image}:generate\` first`,
      );
    const files: Record<string, string> = {};
    for (const f of readdirSync(dir).sort()) {
      if (f === 'Dockerfile' || /^requirements.*\.txt$/.test(f))
        files[f] = readFileSync(join(dir, f), 'utf8');
    }
    return files;
  };
}

/** Per-variant state folder (git-ignored): build metadata, validate results, manifests. */
export function stateDir(root: string, v: ImageVariant): string {
  return join(root, v.outDir, '.imagesmith');
}
