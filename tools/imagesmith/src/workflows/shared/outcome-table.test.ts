import { describe, expect, it } from 'vitest';
import {
  countOutcomes,
  renderOutcomeMarkdown,
  renderOutcomeTable,
  type Outcome,
} from './outcome-table';

const outcomes: Outcome[] = [
  { name: 'python-base', state: 'done', detail: '2 package changes in python-base' },
  { name: 'ml-base', state: 'unchanged', detail: 'lock up to date' },
  { name: 'neuron-compile', state: 'skipped', detail: 'source "neuron" | unreachable' },
  { name: 'gpu', state: 'failed', detail: 'Poetry could not resolve' },
];

describe('outcome table', () => {
  it('counts every state, zeros included', () => {
    expect(countOutcomes(outcomes)).toBe('1 done, 1 unchanged, 1 skipped, 1 failed');
    expect(countOutcomes([])).toBe('0 done, 0 unchanged, 0 skipped, 0 failed');
  });

  it('aligns the terminal table in columns', () => {
    expect(renderOutcomeTable('image', outcomes.slice(0, 3)).split('\n')).toEqual([
      'image           result     detail',
      'python-base     done       2 package changes in python-base',
      'ml-base         unchanged  lock up to date',
      'neuron-compile  skipped    source "neuron" | unreachable',
    ]);
  });

  it('escapes pipes in the Markdown table', () => {
    expect(renderOutcomeMarkdown('image', outcomes.slice(2, 3))).toBe(
      '| image | result | detail |\n| --- | --- | --- |\n| neuron-compile | skipped | source "neuron" \\| unreachable |',
    );
  });
});
