import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpecError } from '../errors';
import { loadWorkspace } from './load-workspace';
import { fsReader, type WorkspaceReader } from './workspace-reader';

const REPO = join(__dirname, '..', '..', '..', '..');
const global = globalThis as { __IMAGESMITH_BUILD__?: string };

/** The repo as it is, except one spec's text. */
function withSpec(name: string, text: string): WorkspaceReader {
  const disk = fsReader(REPO);
  return { ...disk, read: (p) => (p === `images/${name}/image.yaml` ? text : disk.read(p)) };
}

describe('the validation cache (bundled runs only)', () => {
  beforeEach(() => {
    global.__IMAGESMITH_BUILD__ = `test-${Date.now()}-${Math.random()}`;
  });
  afterEach(() => {
    delete global.__IMAGESMITH_BUILD__;
  });

  it('gives the same workspace from the cache as from validation', () => {
    const first = loadWorkspace(REPO);
    const second = loadWorkspace(REPO);
    expect([...second.specs.values()]).toEqual([...first.specs.values()]);
    expect(second.profiles).toEqual(first.profiles);
  });

  it('validates again when a spec changes: an invalid one still fails', () => {
    loadWorkspace(REPO);
    const broken = withSpec('python-base', 'description: x\nprofile: cpuu\npython: "3.10"\n');
    expect(() => loadWorkspace(REPO, broken)).toThrow(SpecError);
  });

  it('validates again when the code changes (a new build id)', () => {
    const broken = withSpec('python-base', 'description: x\nprofile: cpuu\npython: "3.10"\n');
    expect(() => loadWorkspace(REPO, broken)).toThrow(SpecError);
    global.__IMAGESMITH_BUILD__ = 'another build';
    expect(() => loadWorkspace(REPO, broken)).toThrow(/unknown profile "cpuu"/);
  });
});
