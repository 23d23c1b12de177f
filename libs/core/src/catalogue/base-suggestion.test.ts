import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, REPO_ROOT } from '../../test-support/fixtures';
import { SpecError } from '../errors';
import { loadWorkspace } from './load-workspace';

// Issue 16: `base: acme-bsae` suggested the image itself, or another image that was merely the
// only one loaded, instead of acme-base.
const BASE = 'description: b\nprofile: cpu\npython: "3.11"\n';
const on = (base: string) => `description: a\nprofile: cpu\nbase: ${base}\n`;
const hintOf = (specs: Record<string, string>) =>
  check(specs).diagnostics.find((d) => d.path === 'base')?.hint ?? '';

describe('an unknown catalogue base', () => {
  it('suggests the nearest other image', () => {
    expect(hintOf({ 'acme-base': BASE, 'acme-app': on('acme-bsae') })).toMatch(
      /^did you mean "acme-base"\?/,
    );
  });

  it('never suggests the image itself', () => {
    const hint = hintOf({ 'acme-base': on('acme-bsae'), other: BASE });
    expect(hint).not.toMatch(/did you mean/);
  });

  it('suggests nothing far off', () => {
    expect(hintOf({ 'acme-app': on('tensorflow'), 'python-base': BASE })).not.toMatch(
      /did you mean/,
    );
  });

  it('suggests from the whole catalogue when only the image and its ancestors are loaded', () => {
    const root = mkdtempSync(join(tmpdir(), 'imagesmith-base-'));
    try {
      for (const dir of ['profiles', 'templates'])
        cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
      for (const [name, text] of Object.entries({
        'acme-base': BASE,
        'acme-app': on('acme-bsae'),
      })) {
        mkdirSync(join(root, 'images', name), { recursive: true });
        writeFileSync(join(root, 'images', name, 'image.yaml'), text);
      }
      let error: unknown;
      try {
        loadWorkspace(root, undefined, { only: ['acme-app'] });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).message).toMatch(/base: unknown catalogue image "acme-bsae"/);
      expect((error as SpecError).message).toMatch(/did you mean "acme-base"\?/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
