import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '@imagesmith/core';
import {
  checkMetadataPath,
  forgetMetadata,
  writeMetadata,
  type BuildMetadata,
} from './build-metadata';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function state(): string {
  const d = mkdtempSync(join(tmpdir(), 'imagesmith-meta-test-'));
  dirs.push(d);
  return join(d, '.imagesmith');
}
const META: BuildMetadata = {
  image: 'base',
  variant: 'base',
  stage: 'production',
  reference: 'r/base:ch-1',
  tags: ['r/base:ch-1'],
  contentHash: '1',
  result: 'built',
};

describe('build records', () => {
  it('are written whole, with no temp file left beside them', () => {
    const file = join(state(), 'build-production.json');
    writeMetadata(file, META);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(META);
    expect(readdirSync(join(file, '..'))).toEqual(['build-production.json']);
    forgetMetadata(file);
    expect(readdirSync(join(file, '..'))).toEqual([]);
  });

  it('name a folder in their place and what to do (no EISDIR)', () => {
    const file = join(state(), 'build-production.json');
    mkdirSync(file, { recursive: true });
    expect(() => checkMetadataPath(file)).toThrow(UsageError);
    expect(() => writeMetadata(file, META)).toThrow(
      `${file} is a folder, but imagesmith writes the build record there; remove it (\`rm -r ${file}\``,
    );
  });

  it('name a file where their folder goes', () => {
    const dir = state();
    writeFileSync(dir, 'x');
    expect(() => checkMetadataPath(join(dir, 'build-production.json'))).toThrow(
      `${dir} is not a folder, but imagesmith keeps its build state there`,
    );
  });
});
