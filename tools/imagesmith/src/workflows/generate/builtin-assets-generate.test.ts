import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinAssetsDir } from '../../shared/builtin-assets';
import { generate } from './generate';

const REPO = join(__dirname, '..', '..', '..', '..', '..');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * A team's workspace with the repository's python-base spec and lock (a cpu image) and its
 * base-digests.json, but no profiles/ or templates/ folder: those come from imagesmith's built-ins.
 */
function teamWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-team-'));
  dirs.push(root);
  mkdirSync(join(root, 'images/python-base'), { recursive: true });
  for (const f of ['image.yaml', 'poetry.lock'])
    cpSync(join(REPO, 'images/python-base', f), join(root, 'images/python-base', f));
  cpSync(join(REPO, 'base-digests.json'), join(root, 'base-digests.json'));
  return root;
}

describe('generate with the built-in profiles and templates', () => {
  it('finds the built-ins of this repository (the tool is its first user)', () => {
    expect(builtinAssetsDir()).toBe(REPO);
  });

  it('renders a cpu image byte for byte as this repository does, with no profiles/ or templates/', () => {
    const root = teamWorkspace();
    expect(existsSync(join(root, 'profiles'))).toBe(false);
    expect(existsSync(join(root, 'templates'))).toBe(false);
    generate(root, { images: ['python-base'] });
    expect(readFileSync(join(root, 'images/python-base/Dockerfile'), 'utf8')).toBe(
      readFileSync(join(REPO, 'images/python-base/Dockerfile'), 'utf8'),
    );
    // Nothing of the built-ins is copied into the workspace.
    expect(existsSync(join(root, 'profiles'))).toBe(false);
  });

  it('uses a fourth profile the workspace adds (profiles/rocm6) beside the built-in ones', () => {
    const root = teamWorkspace();
    mkdirSync(join(root, 'profiles/rocm6'), { recursive: true });
    writeFileSync(
      join(root, 'profiles/rocm6/profile.yaml'),
      readFileSync(join(REPO, 'profiles/cpu/profile.yaml'), 'utf8')
        .replace(/^description: .*$/m, 'description: ROCm 6 images')
        .replaceAll('python:3.10-slim-bookworm', 'rocm/dev-python:3.10-slim-bookworm'),
    );
    mkdirSync(join(root, 'images/rocm-app'), { recursive: true });
    writeFileSync(
      join(root, 'images/rocm-app/image.yaml'),
      'description: a ROCm app\nprofile: rocm6\npython: "3.10"\nversion: "1.0"\n',
    );
    generate(root, { images: ['rocm-app', 'python-base'] });
    const dockerfile = readFileSync(join(root, 'images/rocm-app/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('rocm/dev-python:3.10-slim-bookworm');
    // The cpu image still renders from the built-in cpu profile.
    expect(readFileSync(join(root, 'images/python-base/Dockerfile'), 'utf8')).toBe(
      readFileSync(join(REPO, 'images/python-base/Dockerfile'), 'utf8'),
    );
  });
});
