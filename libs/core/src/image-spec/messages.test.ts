import { describe, expect, it } from 'vitest';
import { fixedImageName } from '../catalogue/image-name';
import { check } from '../../test-support/fixtures';

const ok = 'description: d\nprofile: cpu\npython: "3.11"\n';

function only(specs: Record<string, string>) {
  return check(specs).diagnostics;
}

describe('spec messages say what to write', () => {
  it('says to quote a version YAML reads as a number, as written', () => {
    const [d] = only({ demo: `${ok}version: 0.10\n` });
    expect(d).toMatchObject({ path: 'version', line: 4, message: 'must be string' });
    expect(d?.hint).toMatch(/^quote it: `version: "0\.10"`/);
  });

  it('names a duplicate quoted key', () => {
    expect(only({ demo: `${ok}"python": "3.12"\n` })[0]?.message).toBe('duplicate key "python"');
  });

  it('reports only the base typo, not a missing python it implies', () => {
    const diags = only({
      'python-base': ok,
      demo: 'description: d\nprofile: cpu\nbase: pyton-base\n',
    });
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({
      path: 'base',
      message: 'unknown catalogue image "pyton-base"',
    });
    expect(diags[0]?.hint).toMatch(/did you mean "python-base"/);
  });

  it('still asks for python when there is no base', () => {
    expect(only({ demo: 'description: d\nprofile: cpu\n' })[0]?.message).toBe(
      'missing required field "python"',
    );
  });

  it('suggests the fixed folder name for an invalid image name', () => {
    const [d] = only({ Bad_Name: ok });
    expect(d?.message).toBe('"Bad_Name" is not a valid image name');
    expect(d?.hint).toMatch(/^rename the folder to images\/bad-name /);
  });

  it.each([
    ['Bad_Name', 'bad-name'],
    ['MyImage', 'my-image'],
    [' team serve ', 'team-serve'],
    ['__', ''],
  ])('fixes the image name %j as %j', (name, fixed) => {
    expect(fixedImageName(name)).toBe(fixed);
  });
});
