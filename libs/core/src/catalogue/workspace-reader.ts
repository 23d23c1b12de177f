import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
}

export function fsReader(root: string): WorkspaceReader {
  return {
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
  };
}
