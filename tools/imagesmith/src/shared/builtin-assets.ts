import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fsReader, layeredReader, type WorkspaceReader } from '@imagesmith/core';

/**
 * The folder holding the profiles/ and templates/ that ship with imagesmith (the built-ins a
 * workspace adds to or overrides by name; see core's layered-reader.ts), or undefined when none is
 * found. In the npm package they are its own `assets/` copy; in this repository (the tool's first
 * user), where the package has no assets/, they are the repository's own profiles/ and templates/.
 *
 * Found from this module's location, which is the package's sources (vitest), or a bundle inside
 * the package or under a workspace's node_modules/.cache (bundle.cjs).
 */
export function builtinAssetsDir(from: string = __dirname): string | undefined {
  const pkg = packageDir(from);
  if (!pkg) return undefined;
  if (existsSync(join(pkg, 'assets', 'profiles'))) return join(pkg, 'assets');
  // In this repository the package is tools/imagesmith and the built-ins are the workspace's own.
  const repo = resolve(pkg, '..', '..');
  return existsSync(join(repo, 'profiles')) ? repo : undefined;
}

/** The workspace on disk at `root`, over the built-in profiles and templates. */
export function diskReader(root: string, builtin = builtinAssetsDir()): WorkspaceReader {
  return layeredReader(fsReader(root), builtinUnder(root, builtin));
}

/**
 * The built-ins to layer under the workspace at `root`: none when they are that workspace's own
 * folders (this repository), so a profile it deletes does not come back as a built-in one.
 */
export function builtinUnder(root: string, builtin: string | undefined): string | undefined {
  return builtin !== undefined && resolve(builtin) !== resolve(root) ? builtin : undefined;
}

/**
 * The imagesmith package folder at or above `from`: one whose package.json declares the
 * `imagesmith` bin (whatever the package is named), or one installed or checked out beside it.
 */
function packageDir(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidates = [
      dir,
      join(dir, 'tools', 'imagesmith'),
      join(dir, 'node_modules', '@imagesmith', 'nx-plugin'),
    ];
    const found = candidates.find(isImagesmithPackage);
    if (found) return found;
    if (dirname(dir) === dir) return undefined;
  }
}

function isImagesmithPackage(dir: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      bin?: Record<string, string> | string;
    };
    return typeof pkg.bin === 'object' && pkg.bin !== null && 'imagesmith' in pkg.bin;
  } catch {
    return false;
  }
}
