/** The root README's spec example is a spec imagesmith accepts, as a new user would copy it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../libs/core/test-support/fixtures';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('shows a valid spec under "What a spec is"', () => {
    const section = readme.slice(readme.indexOf('## What a spec is'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    expect(check({ 'team-serve': example! }).diagnostics).toEqual([]);
  });

  it('starts with the tool: install with nx add, then the commands', () => {
    const install = readme.indexOf('npx nx add @imagesmith/nx-plugin');
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(readme.indexOf('bash tools/setup.sh --engine'));
    expect(readme).not.toContain('<!-- catalogue:start');
  });
});
