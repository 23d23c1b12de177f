import { describe, expect, it } from 'vitest';
import type { BuildPlan } from '../shared/build-plan';
import type { RegistryWork } from '../promote/workspace-plans';
import { gcImage, type GcRegistry } from './gc';

const REPO = '127.0.0.1:5000/acme/app';
const d = (c: string) => `sha256:${c.repeat(64)}`;

/** A registry holding `tags` (tag -> [digest, created]); records deletes. */
function fakeRegistry(tags: Record<string, [string, string?]>) {
  const deleted: string[] = [];
  const registry: GcRegistry = {
    listTags: async (repo) => (repo === REPO ? Object.keys(tags) : []),
    manifestDigest: async (ref) => tags[ref.slice(REPO.length + 1)]?.[0],
    imageConfig: async (ref) => {
      const t = tags[ref.slice(REPO.length + 1)];
      return t && { manifestDigest: t[0], platform: 'linux/amd64', labels: {}, created: t[1] };
    },
    deleteManifest: async (ref) => {
      deleted.push(ref);
      return true;
    },
  };
  return { registry, deleted };
}

const work = (contentTag: string): RegistryWork =>
  ({
    root: '/ws',
    config: { repository: '127.0.0.1:5000/acme', mirrors: {} },
    plans: [{ contentTag, refs: { content: `${REPO}:${contentTag}` } } as BuildPlan],
  }) as RegistryWork;

const TAGS: Record<string, [string, string?]> = {
  'ch-old': [d('1'), '2026-12-01T00:00:00Z'],
  'ch-released': [d('2'), '2026-12-02T00:00:00Z'],
  'ch-mid': [d('3'), '2026-12-03T00:00:00Z'],
  'ch-new': [d('4'), '2026-12-04T00:00:00Z'],
  '0.1-r0': [d('2')],
  '0.1': [d('2')],
  buildcache: [d('9')],
};

describe('gcImage', () => {
  it('a dry run lists what would go and deletes nothing', async () => {
    const { registry, deleted } = fakeRegistry(TAGS);
    const lines: string[] = [];
    const n = await gcImage(work('ch-new'), { keep: 1, delete: false }, registry, (l) =>
      lines.push(l),
    );
    expect(n).toBe(2);
    expect(deleted).toEqual([]);
    expect(lines[0]).toBe(
      `${REPO}: 4 content tags, keeping 2, would delete 2 (run again with --delete to delete them)`,
    );
    expect(lines).toContain(`  would delete ch-mid ${d('3')} (created 2026-12-03T00:00:00Z)`);
    expect(lines).toContain(`  would delete ch-old ${d('1')} (created 2026-12-01T00:00:00Z)`);
    expect(lines).toContain('  keep ch-released (names the same image as 0.1)');
  });

  it('--delete deletes exactly the unreferenced old content tags, by digest', async () => {
    const { registry, deleted } = fakeRegistry(TAGS);
    const lines: string[] = [];
    await gcImage(work('ch-new'), { keep: 1, delete: true }, registry, (l) => lines.push(l));
    expect(deleted).toEqual([`${REPO}@${d('3')}`, `${REPO}@${d('1')}`]);
    expect(lines.at(-1)).toBe(`${REPO}: deleted 2 manifests (content tags and their signatures)`);
  });

  it("keeps the specs' current content even when it is not among the newest", async () => {
    const { registry, deleted } = fakeRegistry(TAGS);
    await gcImage(work('ch-old'), { keep: 0, delete: true }, registry, () => {});
    expect(deleted.sort()).toEqual([`${REPO}@${d('3')}`, `${REPO}@${d('4')}`]);
  });
});
