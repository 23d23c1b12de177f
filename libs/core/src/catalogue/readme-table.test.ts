import { describe, expect, it } from 'vitest';
import { workspaceOf } from '../../test-support/fixtures';
import { renderCatalogueTable, spliceTable, TABLE_END, TABLE_START } from './readme-table';

const ws = workspaceOf({
  base: 'description: base\nprofile: cpu\npython: "3.11"\n',
  matrix:
    'description: matrix\nprofile: cpu\npython: ["3.10", "3.11"]\nversion: "2.0"\nrevision: 3\n',
  cuda: 'description: cuda\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.10"\n',
  inf: 'description: inf\nprofile: neuron-inf1\npython: "3.10"\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
});
const row = (image: string, table = renderCatalogueTable(ws)) =>
  table
    .split('\n')
    .find((l) => l.startsWith(`| \`${image}\` |`))!
    .split(' | ');

describe('the catalogue table', () => {
  it('has Python, Accelerator, Version and Test contract columns', () => {
    expect(renderCatalogueTable(ws).split('\n')[1]).toBe(
      '| Image | Base | Description | Hardware | Python | Accelerator | Version | Status | Test contract |',
    );
  });

  it('lists every variant Python and the spec version tag, - when there is none', () => {
    expect(row('matrix').slice(4, 7)).toEqual(['3.10, 3.11', '-', '2.0-r3']);
    expect(row('base').slice(4, 7)).toEqual(['3.11', '-', '-']);
    // A child has its parent's Python.
    expect(row('child')[4]).toBe('3.11');
  });

  it("names the accelerator from the profile's options, Neuron where the profile provides it", () => {
    expect(row('cuda')[5]).toBe('CUDA 12.1');
    expect(row('inf')[5]).toMatch(/^Neuron SDK/);
  });

  it('shows the status and test contract the caller worked out', () => {
    const facts = new Map([['cuda', { status: 'locked', contract: '9 checks (2 need gpu)' }]]);
    expect(row('cuda', renderCatalogueTable(ws, facts)).slice(7)).toEqual([
      'locked',
      '9 checks (2 need gpu) |',
    ]);
  });

  it('splices between the markers only', () => {
    const readme = `# mine\n\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(spliceTable(readme, 'NEW')).toBe('# mine\n\nNEW\nafter\n');
    expect(spliceTable('# no markers\n', 'NEW')).toBeUndefined();
  });
});
