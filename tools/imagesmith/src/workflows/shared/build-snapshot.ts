import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { EngineError } from '@imagesmith/engine';
import type { ContextFile } from './files-context';

/** A build-context entry: a generated text file, or a spec file (files/...) with its mode. */
export type ContextEntry = string | ContextFile;

/** Generated files at the top; spec files under files/ (read from a folder, so no part is . or ..). */
function safeName(name: string): boolean {
  const [first, ...rest] = name.split('/');
  if (rest.length === 0) return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name);
  return first === 'files' && rest.every((p) => p !== '' && p !== '.' && p !== '..');
}

/** A private folder holding exactly `files` (name -> content), for the engine to build from. */
export function writeSnapshot(files: Record<string, ContextEntry>): string {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-context-'));
  for (const [name, content] of Object.entries(files)) {
    // Names come from the plan: never a path out of the folder.
    if (!safeName(name))
      throw new EngineError(`refusing to snapshot the context file "${name}"`, 'imagesmith');
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    if (typeof content === 'string') {
      writeFileSync(join(dir, name), content);
      continue;
    }
    writeFileSync(join(dir, name), content.bytes);
    // Fixed modes whatever the checkout's umask: COPY keeps them, so the image gets root's
    // read-only files the same on every machine (the content hash counts the mode too).
    chmodSync(join(dir, name), content.executable ? 0o755 : 0o644);
  }
  return dir;
}
