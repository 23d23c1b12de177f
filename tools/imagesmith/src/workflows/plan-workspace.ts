import {
  fsReader,
  loadWorkspace,
  resolveVariants,
  type GeneratedFile,
  type Workspace,
  type WorkspaceReader,
} from '@imagesmith/core';
import { planCatalogueFiles, planImageFiles } from './plan-generation';

/** The lock of every variant that has one, outDir -> text. */
export function readLocks(ws: Workspace, reader: WorkspaceReader): Map<string, string> {
  const locks = new Map<string, string>();
  for (const image of ws.specs.keys()) {
    for (const v of resolveVariants(ws, image)) {
      const text = reader.read(`${v.outDir}/poetry.lock`);
      if (text !== undefined) locks.set(v.outDir, text);
    }
  }
  return locks;
}

export interface PlanScope {
  /** Images whose files to plan; every image when undefined. */
  images?: string[];
  /** Also the workspace-wide files (README table, dependabot.yml). */
  catalogue?: boolean;
}

/**
 * Every generated file, read through `reader` (the disk, or an Nx Tree). Validates the whole
 * catalogue first: a SpecError means nothing may be written.
 */
export function planWorkspace(
  root: string,
  scope: PlanScope,
  reader: WorkspaceReader = fsReader(root),
): GeneratedFile[] {
  // Named images validate with their ancestors only; the whole catalogue otherwise.
  const ws = loadWorkspace(root, reader, { only: scope.images });
  const inputs = { ws, locks: readLocks(ws, reader), readme: reader.read('README.md') };
  return [
    ...planImageFiles(inputs, scope.images),
    ...(scope.catalogue ? planCatalogueFiles(inputs) : []),
  ];
}
