import type { Workspace } from '@imagesmith/core';
import type { AcceleratorData } from './accelerator-data';

/**
 * What generation reads: committed files only. No workspace configuration or environment value
 * takes part, so every user, CI runner and registry setting gets byte-identical files.
 */
export interface PlanInputs {
  ws: Workspace;
  /** outDir -> poetry.lock text, for every variant that has one. */
  locks: ReadonlyMap<string, string>;
  /** Current images/README.md text, for the catalogue table; undefined when there is none yet. */
  catalogueReadme?: string;
  /** Where images are pushed, from the committed imagesmith.json (never the environment). */
  repository: string;
  /** profile name -> profiles/<name>/accelerator.yaml, for the profiles that have one. */
  accelerators?: ReadonlyMap<string, AcceleratorData>;
}
