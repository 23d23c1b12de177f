import { describe, expect, it } from 'vitest';
import { renderRefreshSummary } from './refresh-summary';

describe('renderRefreshSummary', () => {
  it('lists each changed image with its package changes, and the unchanged ones in one line', () => {
    const text = renderRefreshSummary(
      [
        { variant: 'base', changes: [{ name: 'pkg', from: '1.0', to: '2.0' }] },
        {
          variant: 'child',
          changes: [
            { name: 'new-dep', to: '0.3' },
            { name: 'old-dep', from: '1.1' },
          ],
        },
        { variant: 'other', changes: [] },
      ],
      new Map(),
    );
    expect(text).toMatch(/^### base \(1 change\)\n\n- pkg: 1\.0 -> 2\.0\n/m);
    expect(text).toMatch(
      /^### child \(2 changes\)\n\n- new-dep: \(new\) -> 0\.3\n- old-dep: 1\.1 -> \(removed\)\n/m,
    );
    expect(text).toMatch(/^Unchanged: other\.$/m);
  });

  it('says when nothing changed and quotes every failure', () => {
    const text = renderRefreshSummary([], new Map([['gpu', 'poetry failed\nno versions']]));
    expect(text).toMatch(/^No lock changed\.$/m);
    expect(text).toMatch(/^### gpu: not refreshed\n\n```\npoetry failed\nno versions\n```$/m);
  });
});
