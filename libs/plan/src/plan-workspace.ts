import {
  CATALOGUE_README,
  deprecationWarnings,
  fsReader,
  loadWorkspace,
  resolveVariants,
  topologicalOrder,
  type GeneratedFile,
  type Workspace,
  type WorkspaceReader,
  parseWorkspaceConfig,
} from '@imagesmith/core';
import {
  lockProblems,
  withAncestors,
  type LockProblem,
  type LockProblemOptions,
} from './lock-problems';
import { planCatalogueFiles, planImageFiles } from './plan-generation';
import type { PlanInputs } from './plan-inputs';
import { readAcceleratorData } from './accelerator-data';

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
  /** Also the workspace-wide files (README table, dependabot.yml, refresh-locks workflow). */
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
  return planFiles(loadPlanInputs(root, scope, reader), scope);
}

/** What planning reads: the validated specs (of `scope.images` and their ancestors, or all), the locks, images/README.md and imagesmith.json's repository. */
export function loadPlanInputs(
  root: string,
  scope: PlanScope,
  reader: WorkspaceReader,
): PlanInputs {
  // Named images validate with their ancestors only; the whole catalogue otherwise.
  const ws = loadWorkspace(root, reader, { only: scope.images });
  return {
    ws,
    locks: readLocks(ws, reader),
    catalogueReadme: reader.read(CATALOGUE_README),
    repository: committedRepository(reader),
    accelerators: readAcceleratorData(ws.profiles.keys(), reader),
  };
}

/** imagesmith.json's repository, or the default: read with no environment, so IMAGESMITH_REPOSITORY changes no generated file. */
function committedRepository(reader: WorkspaceReader): string {
  return parseWorkspaceConfig(reader.read('imagesmith.json'), {}).repository;
}

function planFiles(inputs: PlanInputs, scope: PlanScope): GeneratedFile[] {
  return [
    ...planImageFiles(inputs, scope.images),
    ...(scope.catalogue ? planCatalogueFiles(inputs) : []),
  ];
}

export interface WorkspacePlan {
  files: GeneratedFile[];
  /** Absent or stale locks of the planned images and their ancestors, parents first. */
  lockProblems: LockProblem[];
  /** One "warning: ... is deprecated" line per planned image that is or is based on a deprecated one. */
  deprecations: string[];
}

/** planWorkspace, plus what is wrong with the locks those files were rendered from. */
export function planWorkspaceAndLocks(
  root: string,
  scope: PlanScope,
  reader: WorkspaceReader = fsReader(root),
  options: LockProblemOptions = {},
): WorkspacePlan {
  return planInputsAndLocks(loadPlanInputs(root, scope, reader), scope, options);
}

/** planWorkspaceAndLocks from inputs already loaded (the sync generators share one load). */
export function planInputsAndLocks(
  inputs: PlanInputs,
  scope: PlanScope,
  options: LockProblemOptions = {},
): WorkspacePlan {
  const { ws } = inputs;
  return {
    files: planFiles(inputs, scope),
    lockProblems: lockProblems(
      inputs,
      scope.images ? withAncestors(ws, scope.images) : topologicalOrder(ws),
      options,
    ),
    deprecations: deprecationWarnings(ws, scope.images ?? topologicalOrder(ws)),
  };
}
