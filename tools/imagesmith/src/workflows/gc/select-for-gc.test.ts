import { describe, expect, it } from 'vitest';
import { selectForGc, type TagInfo } from './select-for-gc';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const at = (minute: number) => `2026-12-07T12:${String(minute).padStart(2, '0')}:00.000000001Z`;
const ch = (name: string, digest: string, minute?: number): TagInfo => ({
  tag: `ch-${name}`,
  digest,
  ...(minute === undefined ? {} : { created: at(minute) }),
});

describe('selectForGc', () => {
  it('keeps the newest N by created time and deletes the older unreferenced ones', () => {
    const s = selectForGc(
      [ch('a', d('a'), 1), ch('b', d('b'), 3), ch('c', d('c'), 2), ch('d', d('d'), 4)],
      2,
    );
    expect(s.keep.map((k) => k.tag.tag)).toEqual(['ch-d', 'ch-b']);
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-c', 'ch-a']);
    expect(s.digests).toEqual([d('c'), d('a')]);
  });

  it('never deletes a content tag a pinned or floating tag names, and it does not count against N', () => {
    const tags = [
      ch('old', d('1'), 1),
      ch('mid', d('2'), 2),
      ch('new', d('3'), 3),
      { tag: '0.1-r0', digest: d('1') },
      { tag: '0.1', digest: d('1') },
    ];
    const s = selectForGc(tags, 1);
    expect(s.keep).toEqual([
      { tag: tags[2], why: 'among the newest 1' },
      { tag: tags[0], why: 'names the same image as 0.1-r0' },
    ]);
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-mid']);
  });

  it("keeps the specs' current content tag whatever its age", () => {
    const s = selectForGc([ch('a', d('a'), 1), ch('b', d('b'), 2)], 0, new Set(['ch-a']));
    expect(s.keep.map((k) => [k.tag.tag, k.why])).toEqual([['ch-a', "the specs' current content"]]);
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-b']);
  });

  it('--keep 0 deletes every unreferenced content tag; other tags are never candidates', () => {
    const s = selectForGc(
      [
        ch('a', d('a'), 1),
        { tag: 'buildcache', digest: d('c') },
        { tag: 'latest', digest: d('e') },
      ],
      0,
    );
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-a']);
    expect(s.keep).toEqual([]);
  });

  it('a digest a kept tag names stays, with every content tag naming it', () => {
    const s = selectForGc([ch('x', d('1'), 5), ch('y', d('1'), 1)], 1);
    expect(s.remove).toEqual([]);
    expect(s.keep.map((k) => [k.tag.tag, k.why])).toEqual([
      ['ch-x', 'among the newest 1'],
      ['ch-y', 'names the same image as ch-x'],
    ]);
    expect(s.digests).toEqual([]);
  });

  it("deletes the cosign signatures and attestations of a deleted digest, not a kept one's", () => {
    const hexA = 'a'.repeat(64);
    const hexB = 'b'.repeat(64);
    const s = selectForGc(
      [
        ch('a', d('a'), 1),
        ch('b', d('b'), 2),
        { tag: `sha256-${hexA}.sig`, digest: d('5') },
        { tag: `sha256-${hexA}.att`, digest: d('6') },
        { tag: `sha256-${hexB}.sig`, digest: d('7') },
      ],
      1,
    );
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-a']);
    expect(s.digests).toEqual([d('a'), d('5'), d('6')]);
  });

  it('an image without a created time counts as the oldest; ties go by tag name', () => {
    const s = selectForGc([ch('none', d('n')), ch('p', d('p'), 1), ch('q', d('q'), 1)], 1);
    expect(s.keep.map((k) => k.tag.tag)).toEqual(['ch-q']);
    expect(s.remove.map((t) => t.tag)).toEqual(['ch-p', 'ch-none']);
  });
});
