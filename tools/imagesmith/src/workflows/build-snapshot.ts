import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError } from '@imagesmith/engine';

/** A private folder holding exactly `files` (name -> content), for the engine to build from. */
export function writeSnapshot(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-context-'));
  for (const [name, content] of Object.entries(files)) {
    // Names come from the plan (Dockerfile, requirements*.txt): never a path out of the folder.
    if (name.includes('/') || name.startsWith('.'))
      throw new EngineError(`refusing to snapshot the context file "${name}"`, 'imagesmith');
    writeFileSync(join(dir, name), content);
  }
  return dir;
}
