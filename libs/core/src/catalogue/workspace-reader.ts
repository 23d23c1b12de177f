import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError, type Diagnostic } from '../errors';

/**
 * Read-only view of a workspace, paths relative to its root with `/` separators. Generation reads
 * through this and nothing else, so the same code renders from the disk (the CLI) or from an Nx
 * virtual Tree (the sync generator and `nx g image`), and cannot see anything but committed files.
 */
export interface WorkspaceReader {
  /** File text, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** Names of the entries of a folder, sorted; empty when there is no such folder. */
  list(dir: string): string[];
  isDir(path: string): boolean;
  /**
   * Where a file comes from when it is not the workspace's own: the absolute path of the built-in
   * (shipped with imagesmith) file read for `path`, or undefined for a workspace file. See
   * layered-reader.ts.
   */
  builtinPath?(path: string): string | undefined;
}

export function fsReader(root: string): WorkspaceReader {
  return refusingLinks(root, {
    read: (path) => {
      const abs = join(root, path);
      return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
    },
    list: (dir) => {
      const abs = join(root, dir);
      return existsSync(abs) && statSync(abs).isDirectory() ? readdirSync(abs).sort() : [];
    },
    isDir: (path) => {
      const abs = join(root, path);
      return existsSync(abs) && statSync(abs).isDirectory();
    },
  });
}

/**
 * `reader`, refusing (SpecError) any path under `root` that goes through a symbolic link. A link
 * in images/, profiles/ or templates/ could make a spec read a file outside the workspace (and
 * echo it in error messages) or make generation write outside it. Links that stay inside are
 * refused too: a generated file would be written through one into another image's folder.
 */
export function refusingLinks(root: string, reader: WorkspaceReader): WorkspaceReader {
  const guard = (path: string) => {
    const problem = linkProblem(root, path);
    if (problem) throw new SpecError([problem]);
  };
  return {
    read: (path) => (guard(path), reader.read(path)),
    list: (dir) => (guard(dir), reader.list(dir)),
    isDir: (path) => (guard(path), reader.isDir(path)),
    builtinPath: (path) => reader.builtinPath?.(path),
  };
}

/**
 * The first symbolic link on `path` (workspace-relative) below `root` as a Diagnostic naming it,
 * or undefined when there is none. Only components below `root` count: the workspace itself may
 * live under a link (/tmp on macOS). Reads nothing but the links' own entries.
 */
export function linkProblem(root: string, path: string): Diagnostic | undefined {
  let at = root;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  for (const [i, part] of parts.entries()) {
    at = join(at, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(at).isSymbolicLink();
    } catch {
      return undefined; // absent: nothing to follow
    }
    if (!isLink) continue;
    const link = parts.slice(0, i + 1).join('/');
    return {
      file: link,
      path: '',
      message: `is a symbolic link (to ${excerptTarget(at)}); imagesmith does not follow links in the workspace`,
      hint: `replace the link ${link} with the folder or file itself: a link could make generation read or write outside the workspace, and one that stays inside would write one image's files into another's`,
    };
  }
  return undefined;
}

function excerptTarget(abs: string): string {
  const target = readlinkSync(abs);
  return target.length > 80 ? `${target.slice(0, 77)}...` : target;
}
