import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SpecError } from '../errors';
import { loadProfiles } from '../profiles/load-profiles';
import { readTemplates } from './load-workspace';
import { layeredReader } from './layered-reader';
import { fsReader } from './workspace-reader';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A folder holding `files` (path -> text). */
function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-layer-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const profile = (base: string) =>
  `description: ${base} profile\nhardware: cpu\npython_install: provided\npython_versions: ['3.11']\nbases:\n  '3.11': ${base}:3.11-slim-bookworm\n`;

const builtin = () =>
  folder({
    'profiles/cpu/profile.yaml': profile('python'),
    'profiles/cpu/fragments/runtime.hbs': 'builtin runtime\n',
    'profiles/cuda12/profile.yaml': profile('nvidia'),
    'templates/python-base/from.hbs': 'builtin from\n',
    'templates/python-base/user.hbs': 'builtin user\n',
    'images/builtin-only/image.yaml': 'description: never read\n',
    'README.md': 'builtin readme\n',
  });

describe('layeredReader', () => {
  it('gives the built-in profiles and templates to a workspace that has none', () => {
    const ws = folder({ 'images/a/image.yaml': 'description: a\n' });
    const reader = layeredReader(fsReader(ws), builtin());
    expect(reader.list('profiles')).toEqual(['cpu', 'cuda12']);
    expect(readTemplates(ws, reader)).toEqual({
      'python-base/from': 'builtin from\n',
      'python-base/user': 'builtin user\n',
    });
    expect(loadProfiles(ws, reader).profiles.get('cpu')?.fragments).toEqual({
      runtime: 'builtin runtime\n',
    });
  });

  it('adds a new workspace profile (rocm6) beside the built-in ones', () => {
    const ws = folder({ 'profiles/rocm6/profile.yaml': profile('rocm/dev-ubuntu-22.04') });
    const { profiles, diagnostics } = loadProfiles(ws, layeredReader(fsReader(ws), builtin()));
    expect(diagnostics).toEqual([]);
    expect([...profiles.keys()]).toEqual(['cpu', 'cuda12', 'rocm6']);
  });

  it('lets a workspace profile folder shadow the built-in one of that name entirely', () => {
    const ws = folder({ 'profiles/cpu/profile.yaml': profile('team/python') });
    const reader = layeredReader(fsReader(ws), builtin());
    const cpu = loadProfiles(ws, reader).profiles.get('cpu')!;
    expect(cpu.definition.description).toBe('team/python profile');
    // The built-in cpu's fragments are not mixed into the workspace's cpu.
    expect(cpu.fragments).toEqual({});
    expect(reader.builtinPath?.('profiles/cpu/profile.yaml')).toBeUndefined();
  });

  it('overrides one template fragment by file name, keeping the other built-in fragments', () => {
    const ws = folder({
      'templates/python-base/from.hbs': 'team from\n',
      'templates/python-base/extra.hbs': 'team extra\n',
    });
    const templates = readTemplates(ws, layeredReader(fsReader(ws), builtin()));
    expect(templates).toEqual({
      'python-base/extra': 'team extra\n',
      'python-base/from': 'team from\n',
      'python-base/user': 'builtin user\n',
    });
  });

  it('never reads specs, locks or README from the built-ins', () => {
    const ws = folder({ 'images/a/image.yaml': 'description: a\n' });
    const reader = layeredReader(fsReader(ws), builtin());
    expect(reader.list('images')).toEqual(['a']);
    expect(reader.read('images/builtin-only/image.yaml')).toBeUndefined();
    expect(reader.read('README.md')).toBeUndefined();
  });

  it('still refuses a symbolic link in the workspace layer, not falling back to the built-in', () => {
    const outside = folder({ 'profile.yaml': profile('evil') });
    const ws = folder({ 'images/a/image.yaml': 'description: a\n' });
    mkdirSync(join(ws, 'profiles'));
    symlinkSync(outside, join(ws, 'profiles/cpu'));
    const reader = layeredReader(fsReader(ws), builtin());
    expect(() => loadProfiles(ws, reader)).toThrow(SpecError);
    expect(() => reader.read('profiles/cpu/profile.yaml')).toThrow(/profiles\/cpu.*symbolic link/s);
  });

  it('names a broken built-in profile by its path and says it is the built-in one', () => {
    const shipped = builtin();
    writeFileSync(
      join(shipped, 'profiles/cuda12/profile.yaml'),
      'description: 3\nbase_images: []\n',
    );
    const ws = folder({});
    const { diagnostics } = loadProfiles(ws, layeredReader(fsReader(ws), shipped));
    expect(diagnostics.length).toBeGreaterThan(0);
    for (const d of diagnostics) {
      expect(d.file).toBe(join(shipped, 'profiles/cuda12/profile.yaml'));
      expect(d.message).toContain(`built-in profile "cuda12"`);
      expect(d.hint).toContain('profiles/cuda12/');
    }
  });

  it('names a broken workspace profile by its workspace path', () => {
    const ws = folder({ 'profiles/cuda12/profile.yaml': 'description: 3\nbase_images: []\n' });
    const { diagnostics } = loadProfiles(ws, layeredReader(fsReader(ws), builtin()));
    expect(diagnostics.map((d) => d.file)).toContain('profiles/cuda12/profile.yaml');
    expect(diagnostics.every((d) => !d.message.includes('built-in'))).toBe(true);
  });
});
