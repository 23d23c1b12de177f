import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../../../libs/core/test-support/fixtures';
import { planWorkspace } from './plan-workspace';

let root: string;
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

function workspace(config?: string): string {
  root = mkdtempSync(join(tmpdir(), 'imagesmith-plan-repo-'));
  for (const dir of ['profiles', 'templates'])
    cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
  mkdirSync(join(root, 'images/serve'), { recursive: true });
  writeFileSync(
    join(root, 'images/serve/image.yaml'),
    'description: s\nprofile: cpu\npython: "3.11"\n',
  );
  if (config !== undefined) writeFileSync(join(root, 'imagesmith.json'), config);
  return root;
}
const readmeOf = (dir: string) =>
  planWorkspace(dir, { images: ['serve'] }).find((f) => f.path === 'images/serve/README.md')!
    .content;

describe("the image README's repository", () => {
  it("is imagesmith.json's, whatever IMAGESMITH_REPOSITORY says", () => {
    vi.stubEnv('IMAGESMITH_REPOSITORY', 'registry.example/env/images');
    const text = readmeOf(workspace('{"repository": "registry.example/acme/images"}'));
    expect(text).toContain('registry.example/acme/images/serve:1.0-r0');
    expect(text).not.toContain('registry.example/env');
  });

  it('is the default when there is no imagesmith.json, and the environment changes nothing', () => {
    const before = readmeOf(workspace());
    vi.stubEnv('IMAGESMITH_REPOSITORY', 'registry.example/env/images');
    expect(readmeOf(root)).toBe(before);
    expect(before).toContain('localhost:5000/imagesmith/serve:1.0-r0');
  });
});
