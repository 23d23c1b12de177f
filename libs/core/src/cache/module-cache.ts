import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/write-atomic';

/**
 * Generated JavaScript (compiled validators, precompiled templates) kept under
 * node_modules/.cache/imagesmith/<kind>/, keyed by a hash of what it was made from. Nx starts one
 * CLI process per image, and each would otherwise compile the same things again. Best effort: a
 * read-only or missing cache only costs time.
 */
function cacheFile(kind: string, key: string, ext = 'cjs'): string | undefined {
  try {
    const anchor = require.resolve('ajv');
    const nodeModules = anchor.slice(0, anchor.lastIndexOf('node_modules') + 'node_modules'.length);
    const hash = createHash('sha256').update(key).digest('hex').slice(0, 24);
    return join(nodeModules, '.cache', 'imagesmith', kind, `${hash}.${ext}`);
  } catch {
    return undefined;
  }
}

export function readCachedModule<T>(kind: string, key: string): T | undefined {
  const file = cacheFile(kind, key);
  if (!file || !existsSync(file)) return undefined;
  try {
    return require(file) as T;
  } catch {
    return undefined;
  }
}

export function writeCachedModule(kind: string, key: string, code: string, ext = 'cjs'): void {
  const file = cacheFile(kind, key, ext);
  if (!file) return;
  try {
    writeFileAtomic(file, code, { fsync: false });
  } catch {
    // read-only install or a full disk: do without the cache
  }
}

/** Data kept as JSON (parsing JSON is much faster than compiling the same data as a module). */
export function readCachedJson<T>(kind: string, key: string): T | undefined {
  const file = cacheFile(kind, key, 'json');
  if (!file || !existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeCachedJson(kind: string, key: string, value: unknown): void {
  writeCachedModule(kind, key, JSON.stringify(value), 'json');
}
