import { loadWorkspace, requireImage, resolveVariants } from '@imagesmith/core';
import { checkInSync } from './check-in-sync';
// A separate entry point: generating never pays for loading the linters.
import { lintDockerfile, type LintFinding } from '@imagesmith/core/lint';

/** Lint the generated Dockerfiles of the given images (all when none given). */
export function lintImages(
  root: string,
  images?: string[],
): { files: number; findings: LintFinding[] } {
  const ws = loadWorkspace(root, undefined, { only: images?.length ? images : undefined });
  const selected = images?.length ? images : [...ws.specs.keys()].sort();
  const findings: LintFinding[] = [];
  let files = 0;
  for (const image of selected) {
    requireImage(ws, image);
    const planned = checkInSync(root, [image]);
    for (const v of resolveVariants(ws, image)) {
      const file = `${v.outDir}/Dockerfile`;
      files += 1;
      findings.push(...lintDockerfile(planned.get(file) ?? '', file));
    }
  }
  return { files, findings };
}
