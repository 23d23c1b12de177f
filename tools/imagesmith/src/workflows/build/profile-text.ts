import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The text of profiles/<name>/profile.yaml for pointing at a line in it; undefined when unreadable. */
export function profileText(root: string, profile: string): string | undefined {
  try {
    return readFileSync(join(root, 'profiles', profile, 'profile.yaml'), 'utf8');
  } catch {
    return undefined;
  }
}
