import {
  checkEndOfLife,
  type EolFinding,
  loadWorkspace,
  renderEolReport,
  requireImage,
  resolveVariants,
} from '@imagesmith/core';
import { checkInSyncAndLocks, describeLockProblem } from '@imagesmith/plan';
// A separate entry point: generating never pays for loading the linters.
import { lintDockerfile, type LintFinding } from '@imagesmith/core/lint';
import { diskReader } from '../../shared/builtin-assets';

/**
 * Lint the generated Dockerfiles of the given images (all when none given). A stale lock is an
 * error (thrown); an image or parent that is not locked yet is a warning, not a finding. With
 * `today` (read at the command's edge), also the end-of-life guard on those images' specs.
 */
export function lintImages(
  root: string,
  images?: string[],
  options: { today?: string } = {},
): { files: number; findings: LintFinding[]; warnings: string[]; endOfLife: EolFinding[] } {
  const reader = diskReader(root);
  const ws = loadWorkspace(root, reader, { only: images?.length ? images : undefined });
  const selected = images?.length ? images : [...ws.specs.keys()].sort();
  const findings: LintFinding[] = [];
  const warnings = new Set<string>();
  let files = 0;
  for (const image of selected) requireImage(ws, image);
  // One plan for every selected image and its ancestors, not one per image.
  const { planned, unlocked } = checkInSyncAndLocks(root, selected, undefined, reader);
  for (const p of unlocked) warnings.add(describeLockProblem(p));
  for (const image of selected) {
    for (const v of resolveVariants(ws, image)) {
      const file = `${v.outDir}/Dockerfile`;
      files += 1;
      findings.push(...lintDockerfile(planned.get(file) ?? '', file, { root }));
    }
  }
  const endOfLife = options.today ? checkEndOfLife(ws, selected, options.today) : [];
  return { files, findings, warnings: [...warnings], endOfLife };
}

/** `lint --eol-report`: what ends within 180 days of `today` across the catalogue, and the move. */
export function eolReport(root: string, today: string): string {
  return renderEolReport(loadWorkspace(root, diskReader(root)), today);
}
