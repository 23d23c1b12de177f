import { describe, expect, it, vi } from 'vitest';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { selectImages, withAncestors, type ListProjects } from './select-images';

const ws = workspaceOf({
  'acme-base': 'description: a\nprofile: cpu\npython: "3.11"\n',
  'acme-train': 'description: t\nprofile: cpu\nbase: acme-base\n',
  'acme-serve': 'description: s\nprofile: cpu\nbase: acme-train\n',
  other: 'description: o\nprofile: cpu\npython: "3.11"\n',
});

/** Nx's answer, faked: patterns match by prefix glob, affected is a fixed list. */
function fakeNx(affected: string[] = []): ListProjects & { mock: { calls: unknown[][] } } {
  return vi.fn<ListProjects>(async ({ projects, affected: a }) => {
    if (a) return [...affected, 'imagesmith'];
    const globs = (projects ?? '').split(',');
    const all = ['acme-base', 'acme-train', 'acme-serve', 'other', 'imagesmith', 'core'];
    return all.filter((p) =>
      globs.some((g) => (g.endsWith('*') ? p.startsWith(g.slice(0, -1)) : p === g)),
    );
  }) as never;
}

describe('selectImages', () => {
  it('is the whole catalogue (undefined) when nothing is selected, without asking Nx', async () => {
    const nx = fakeNx();
    expect(await selectImages(ws, { names: [] }, nx)).toBeUndefined();
    expect(nx.mock.calls).toHaveLength(0);
  });

  it('keeps named images, parents first (topological order), and adds no others', async () => {
    expect(await selectImages(ws, { names: ['acme-serve', 'acme-base'] }, fakeNx())).toEqual([
      'acme-base',
      'acme-serve',
    ]);
  });

  it('refuses an unknown name as a usage error with the nearest image', async () => {
    await expect(selectImages(ws, { names: ['acme-bsae'] }, fakeNx())).rejects.toMatchObject({
      name: 'UsageError',
      message: expect.stringContaining('unknown image "acme-bsae" (did you mean "acme-base"?)'),
    });
  });

  it('matches --projects globs through Nx, keeping only images (not the tool projects)', async () => {
    const nx = fakeNx();
    expect(await selectImages(ws, { names: ['other'], projects: ['acme-t*'] }, nx)).toEqual([
      'other',
      'acme-train',
    ]);
    expect(nx.mock.calls[0]).toEqual([{ projects: 'acme-t*' }]);
  });

  it('refuses an empty --projects instead of widening to every image', async () => {
    for (const projects of [[''], [',', ' ,'.trim()]])
      await expect(selectImages(ws, { names: [], projects }, fakeNx())).rejects.toThrow(
        /--projects was given no pattern/,
      );
  });

  it('checks a plain --projects name and says when a pattern matches no image', async () => {
    await expect(selectImages(ws, { names: [], projects: ['otehr'] }, fakeNx())).rejects.toThrow(
      /unknown --projects name "otehr" \(did you mean "other"\?\)/,
    );
    await expect(selectImages(ws, { names: [], projects: ['core*'] }, fakeNx())).rejects.toThrow(
      /--projects core\* matches no image/,
    );
  });

  it('--affected alone is every affected image; with names it keeps the affected among them', async () => {
    const nx = fakeNx(['acme-train', 'other']);
    expect(await selectImages(ws, { names: [], affected: { base: 'main' } }, nx)).toEqual([
      'other',
      'acme-train',
    ]);
    expect(nx.mock.calls[0]).toEqual([{ affected: { base: 'main' } }]);
    expect(await selectImages(ws, { names: ['acme-base', 'other'], affected: {} }, nx)).toEqual([
      'other',
    ]);
    expect(await selectImages(ws, { names: [], affected: {} }, fakeNx([]))).toEqual([]);
  });
});

describe('withAncestors', () => {
  it("brings a child's catalogue ancestors, parents first, and nothing below it", () => {
    expect(withAncestors(ws, ['acme-train'])).toEqual(['acme-base', 'acme-train']);
    expect(withAncestors(ws, ['other', 'acme-serve'])).toEqual([
      'acme-base',
      'other',
      'acme-train',
      'acme-serve',
    ]);
  });
});
