import { diskReader } from '../../shared/builtin-assets';

/**
 * Where a variant's profile lives, for pointing at a line in its profile.yaml: `dir` is
 * profiles/<name> for the workspace's own profile, or the built-in one's absolute folder (so a
 * message says which file to fix, or that the profile is imagesmith's own); `text` is undefined
 * when unreadable.
 */
export function profileSource(root: string, profile: string): { dir: string; text?: string } {
  const reader = diskReader(root);
  const file = `profiles/${profile}/profile.yaml`;
  try {
    const builtin = reader.builtinPath?.(file);
    const dir = builtin ? builtin.slice(0, -'/profile.yaml'.length) : `profiles/${profile}`;
    return { dir, text: reader.read(file) };
  } catch {
    return { dir: `profiles/${profile}` };
  }
}
