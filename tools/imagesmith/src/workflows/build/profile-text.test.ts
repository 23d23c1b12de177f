import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { profileSource } from './profile-text';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-profile-text-'));
  dirs.push(root);
  return root;
}

describe('profileSource', () => {
  it('names a built-in profile by its absolute folder, so a build error says which file it is', () => {
    const { dir, text } = profileSource(workspace(), 'cpu');
    expect(dir).toBe(join(REPO, 'profiles/cpu'));
    expect(text).toBe(readFileSync(join(REPO, 'profiles/cpu/profile.yaml'), 'utf8'));
  });

  it("names the workspace's own profile by its workspace path", () => {
    const root = workspace();
    mkdirSync(join(root, 'profiles/cpu'), { recursive: true });
    writeFileSync(join(root, 'profiles/cpu/profile.yaml'), 'description: team cpu\n');
    expect(profileSource(root, 'cpu')).toEqual({
      dir: 'profiles/cpu',
      text: 'description: team cpu\n',
    });
  });
});
