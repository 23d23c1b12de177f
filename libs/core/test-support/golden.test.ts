import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { goldenText } from './golden';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'imagesmith-golden-'));
  mkdirSync(join(dir, 'golden'));
  file = join(dir, 'golden', 'x.Dockerfile');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('goldenText', () => {
  it('fails on a missing golden under CI=true, naming the command that creates it', () => {
    expect(() => goldenText(file, 'new', { CI: 'true' })).toThrow(
      /does not exist: run `UPDATE_GOLDEN=1 npx vitest run .*` to create it/,
    );
    expect(existsSync(file)).toBe(false);
  });

  it('fails on a missing golden locally too, writing nothing', () => {
    expect(() => goldenText(file, 'new', {})).toThrow(/does not exist/);
    expect(existsSync(file)).toBe(false);
  });

  it('returns the committed text, so a changed rendering fails the comparison', () => {
    writeFileSync(file, 'old');
    expect(goldenText(file, 'new', {})).toBe('old');
    expect(readFileSync(file, 'utf8')).toBe('old');
  });

  it('writes the golden with UPDATE_GOLDEN=1', () => {
    expect(goldenText(file, 'new', { UPDATE_GOLDEN: '1' })).toBe('new');
    expect(readFileSync(file, 'utf8')).toBe('new');
  });

  it('refuses UPDATE_GOLDEN=1 under CI=true, leaving the golden as it was', () => {
    writeFileSync(file, 'old');
    expect(() => goldenText(file, 'new', { UPDATE_GOLDEN: '1', CI: 'true' })).toThrow(
      /refused under CI=true/,
    );
    expect(readFileSync(file, 'utf8')).toBe('old');
  });
});
