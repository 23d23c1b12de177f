import { describe, expect, it } from 'vitest';
import { treeWithProfiles } from '../../../test-support/test-tree';
import { treePlanInputs } from './tree-plan-inputs';

describe('treePlanInputs', () => {
  it('loads the catalogue once per Tree while nothing it reads changes', () => {
    const tree = treeWithProfiles(['cpu']);
    tree.write('images/base/image.yaml', 'description: base\nprofile: cpu\npython: "3.11"\n');
    const first = treePlanInputs(tree);
    // The catalogue generator's own outputs: images/README.md is re-read, the load is kept.
    tree.write('images/README.md', '# table\n');
    tree.write('.github/dependabot.yml', 'version: 2\n');
    const second = treePlanInputs(tree);
    expect(second.ws).toBe(first.ws);
    expect(second.locks).toBe(first.locks);
    expect(second.catalogueReadme).toBe('# table\n');
  });

  it('loads again when a spec or lock changed in the Tree, and sees the change', () => {
    const tree = treeWithProfiles(['cpu']);
    tree.write('images/base/image.yaml', 'description: base\nprofile: cpu\npython: "3.11"\n');
    const first = treePlanInputs(tree);
    tree.write('images/base/image.yaml', 'description: edited\nprofile: cpu\npython: "3.11"\n');
    const second = treePlanInputs(tree);
    expect(second.ws).not.toBe(first.ws);
    expect(second.ws.specs.get('base')?.spec.description).toBe('edited');
    tree.write('images/base/poetry.lock', '# a lock\n');
    expect(treePlanInputs(tree).locks.get('images/base')).toBe('# a lock\n');
  });

  it('never shares a load between two Trees', () => {
    const a = treeWithProfiles(['cpu']);
    const b = treeWithProfiles(['cpu']);
    for (const t of [a, b])
      t.write('images/base/image.yaml', 'description: base\nprofile: cpu\npython: "3.11"\n');
    expect(treePlanInputs(a).ws).not.toBe(treePlanInputs(b).ws);
  });
});
