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
      [],
    );
    expect(text).toMatch(/^### base \(1 change\)\n\n- pkg: 1\.0 -> 2\.0\n/m);
    expect(text).toMatch(
      /^### child \(2 changes\)\n\n- new-dep: \(new\) -> 0\.3\n- old-dep: 1\.1 -> \(removed\)\n/m,
    );
    expect(text).toMatch(/^Unchanged: other\.$/m);
  });

  it('says when nothing changed and lists what was skipped or failed, with the reasons', () => {
    const text = renderRefreshSummary(
      [],
      [
        { name: 'python-base', state: 'unchanged', detail: 'lock up to date' },
        {
          name: 'neuron',
          state: 'skipped',
          detail: 'Poetry could not reach package source "neuron"',
        },
        { name: 'gpu', state: 'failed', detail: 'Poetry could not resolve the Python packages' },
      ],
    );
    expect(text).toMatch(/^No lock changed\.$/m);
    expect(text).toContain(
      '### Not refreshed\n\n| image | result | detail |\n| --- | --- | --- |\n' +
        '| neuron | skipped | Poetry could not reach package source "neuron" |\n' +
        '| gpu | failed | Poetry could not resolve the Python packages |\n',
    );
    expect(text).toMatch(/^Images: 0 done, 1 unchanged, 1 skipped, 1 failed\.$/m);
    expect(text).not.toContain('python-base |');
  });
});
