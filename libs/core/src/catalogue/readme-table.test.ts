import { describe, expect, it } from 'vitest';
import { REPO_ROOT, workspaceOf } from '../../test-support/fixtures';
import { loadLifecycles } from '../lifecycle/load-lifecycles';
import { fsReader } from './workspace-reader';
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
      '| Image | Base | Description | Hardware | Python | Accelerator | Version | Status | Test contract | End of life | Host driver |',
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
    expect(row('cuda', renderCatalogueTable(ws, facts)).slice(7, 9)).toEqual([
      'locked',
      '9 checks (2 need gpu)',
    ]);
  });

  it('shows the earliest end of life of Python, OS, CUDA or SDK, and an allow_eol reason', () => {
    const lifecycles = loadLifecycles(fsReader(REPO_ROOT)).tables;
    const table = renderCatalogueTable({ ...ws, lifecycles });
    expect(row('base', table)[9]).toBe('2027-10-01 (Python 3.11)');
    expect(row('cuda', table)[9]).toBe('2026-10-01 (Python 3.10)');
    expect(row('inf', table)[9]).toBe('2026-03-11 (Neuron SDK for Inf1 (torch-neuron, neuron-cc))');
    const allowed = workspaceOf({
      old: 'description: old\nprofile: cpu\npython: "3.9"\nallow_eol: a vendor pins 3.9\n',
    });
    expect(row('old', renderCatalogueTable(allowed))[9]).toBe(
      '2025-10-31 (Python 3.9), allowed by allow_eol',
    );
  });

  it('shows what the host driver must be, - when the caller knows of no accelerator', () => {
    const facts = new Map([['cuda', { hostDriver: 'NVIDIA >= 530.30.02 (CUDA 12.1)' }]]);
    const table = renderCatalogueTable(ws, facts);
    expect(row('cuda', table).at(-1)).toBe('NVIDIA >= 530.30.02 (CUDA 12.1) |');
    expect(row('base', table).at(-1)).toBe('- |');
  });

  it('splices between the markers only', () => {
    const readme = `# mine\n\n${TABLE_START}\nold\n${TABLE_END}\nafter\n`;
    expect(spliceTable(readme, 'NEW')).toBe('# mine\n\nNEW\nafter\n');
    expect(spliceTable('# no markers\n', 'NEW')).toBeUndefined();
  });
});
