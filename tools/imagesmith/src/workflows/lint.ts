import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkspace, requireImage, resolveVariants, UsageError } from '@imagesmith/core';
// A separate entry point: generating never pays for loading the linters.
import { lintDockerfile, type LintFinding } from '@imagesmith/core/lint';

/** Lint the generated Dockerfiles of the given images (all when none given). */
export function lintImages(
  root: string,
  images?: string[],
): { files: number; findings: LintFinding[] } {
  const ws = loadWorkspace(root);
  const selected = images?.length ? images : [...ws.specs.keys()].sort();
  const findings: LintFinding[] = [];
  let files = 0;
  for (const image of selected) {
    requireImage(ws, image);
    for (const v of resolveVariants(ws, image)) {
      const file = `${v.outDir}/Dockerfile`;
      const abs = join(root, file);
      if (!existsSync(abs))
        throw new UsageError(`${file} does not exist; run \`nx run ${image}:generate\` first`);
      files += 1;
      findings.push(...lintDockerfile(readFileSync(abs, 'utf8'), file));
    }
  }
  return { files, findings };
}
