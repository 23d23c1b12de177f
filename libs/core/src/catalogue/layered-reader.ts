import { join } from 'node:path';
import { fsReader, type WorkspaceReader } from './workspace-reader';

/** The folders a workspace shares with imagesmith's built-ins; everything else is the workspace's only. */
const LAYERED = new Set(['profiles', 'templates']);

/**
 * `workspace` over the built-in profiles/ and templates/ shipped in `builtinRoot` (a folder the
 * edges pass in: the npm package's assets, or this repository's root). Specs, locks, README and
 * everything else come from the workspace alone. The workspace adds to the built-ins or overrides
 * them by name, at two granularities:
 *
 * - a profile is a whole folder: `profiles/cpu/` in the workspace replaces the built-in `cpu`
 *   entirely (profile.yaml and fragments/), and nothing of the built-in one is read;
 * - a template is one file: `templates/python-base/from.hbs` in the workspace replaces that
 *   fragment only; the group's other fragments stay the built-in ones.
 *
 * Every read of the workspace layer still goes through `workspace` first, so its link refusal
 * applies (a linked profiles/cpu fails rather than falling through to the built-in one).
 */
export function layeredReader(
  workspace: WorkspaceReader,
  builtinRoot: string | undefined,
): WorkspaceReader {
  if (builtinRoot === undefined) return workspace;
  const builtin = fsReader(builtinRoot);
  /** The reader that owns `path`: undefined when both do (a listing to merge). */
  const owner = (path: string): WorkspaceReader | undefined => {
    const [top, name, ...rest] = path.split('/').filter((p) => p !== '' && p !== '.');
    if (!top || !LAYERED.has(top)) return workspace;
    if (name === undefined) return undefined;
    if (top === 'profiles') return workspace.isDir(`profiles/${name}`) ? workspace : builtin;
    const file = [top, name, ...rest].join('/');
    if (workspace.isDir(file)) return undefined;
    return workspace.read(file) !== undefined ? workspace : builtin;
  };
  return {
    read: (path) => (owner(path) ?? workspace).read(path),
    list: (dir) => {
      const one = owner(dir);
      if (one) return one.list(dir);
      return [...new Set([...workspace.list(dir), ...builtin.list(dir)])].sort();
    },
    isDir: (path) => {
      const one = owner(path);
      return one ? one.isDir(path) : workspace.isDir(path) || builtin.isDir(path);
    },
    builtinPath: (path) => {
      const one = owner(path);
      return one === builtin ? join(builtinRoot, path) : workspace.builtinPath?.(path);
    },
  };
}
