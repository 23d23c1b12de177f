import { UsageError, fsReader, type GeneratedFile } from '@imagesmith/core';
import { planWorkspace } from './plan-workspace';

/**
 * Refuse to lint or build from generated files that do not match their spec, profile, templates
 * and lock. Nx brings them up to date before a task (the sync generator), except where it skips
 * syncing (CI, `--skip-sync`) or when the CLI is used without Nx; then this names the fix.
 */
export function checkInSync(root: string, images: string[]): Map<string, string> {
  const reader = fsReader(root);
  const planned = planWorkspace(root, { images }, reader);
  const stale = planned.filter((f: GeneratedFile) => reader.read(f.path) !== f.content);
  if (stale.length > 0)
    throw new UsageError(
      `generated files are out of date with their specs or locks:\n${stale.map((f) => `  ${f.path}`).join('\n')}\nrun \`nx sync\` (or \`imagesmith generate ${images.join(' ')}\`) and commit the result`,
    );
  return new Map(planned.map((f) => [f.path, f.content]));
}
