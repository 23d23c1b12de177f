import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadWorkspace,
  readWorkspaceConfig,
  resolveVariants,
  UsageError,
  writeFileAtomic,
  type GeneratedFile,
  type Workspace,
} from '@imagesmith/core';
import { planGeneration } from './plan-generation';

export interface GenerateResult {
  written: string[];
  unchanged: string[];
  /** With check: files whose committed content differs from what generate would write. */
  drifted: string[];
}

/** Read the lock of every variant that has one. */
export function readLocks(ws: Workspace): Map<string, string> {
  const locks = new Map<string, string>();
  for (const image of ws.specs.keys()) {
    for (const v of resolveVariants(ws, image)) {
      const file = join(ws.root, v.outDir, 'poetry.lock');
      if (existsSync(file)) locks.set(v.outDir, readFileSync(file, 'utf8'));
    }
  }
  return locks;
}

/**
 * Validate the whole catalogue first (a SpecError leaves every file as it was), then render
 * everything in memory, then write each changed file atomically.
 */
export function generate(
  root: string,
  options: { images?: string[]; check?: boolean } = {},
): GenerateResult {
  const ws = loadWorkspace(root);
  for (const image of options.images ?? []) {
    if (!ws.specs.has(image))
      throw new UsageError(
        `unknown image "${image}"; images are the folders under images/ (run \`nx show projects\`)`,
      );
  }
  const readmePath = join(root, 'README.md');
  const files = planGeneration(
    {
      ws,
      config: readWorkspaceConfig(root),
      locks: readLocks(ws),
      readme: existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : undefined,
    },
    options.images,
  );
  return options.check ? checkFiles(root, files) : writeFiles(root, files);
}

function current(root: string, path: string): string | undefined {
  const abs = join(root, path);
  return existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
}

function writeFiles(root: string, files: GeneratedFile[]): GenerateResult {
  const result: GenerateResult = { written: [], unchanged: [], drifted: [] };
  for (const f of files)
    (writeFileAtomic(join(root, f.path), f.content) ? result.written : result.unchanged).push(
      f.path,
    );
  return result;
}

function checkFiles(root: string, files: GeneratedFile[]): GenerateResult {
  const result: GenerateResult = { written: [], unchanged: [], drifted: [] };
  for (const f of files)
    (current(root, f.path) === f.content ? result.unchanged : result.drifted).push(f.path);
  return result;
}
