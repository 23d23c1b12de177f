import { describe, expect, it } from 'vitest';
import { check } from '../../test-support/fixtures';

const ok = `description: demo
profile: cpu
python: "3.11"
`;

function only(specs: Record<string, string>) {
  return check(specs).diagnostics;
}

describe('spec validation', () => {
  it('accepts a minimal spec', () => {
    expect(only({ demo: ok })).toEqual([]);
  });

  it('reports malformed YAML with line and column', () => {
    const [d] = only({ demo: 'description: demo\nprofile: [cpu\n' });
    expect(d).toMatchObject({ file: 'images/demo/image.yaml', line: expect.any(Number) });
    expect(d?.message).toMatch(/invalid YAML/);
  });

  it('reports an empty file', () => {
    expect(only({ demo: '   \n# only a comment\n' })[0]?.message).toBe('the file is empty');
  });

  it('reports a document that is not a map', () => {
    expect(only({ demo: '- a\n- b\n' })[0]?.message).toMatch(/is a list, not a map/);
  });

  it('suggests the closest field for an unknown key, at its line', () => {
    const [d] = only({ demo: `${ok}pyton_packages: {}\n` });
    expect(d).toMatchObject({
      line: 4,
      column: 1,
      path: 'pyton_packages',
      message: 'unknown field "pyton_packages"',
    });
    expect(d?.hint).toMatch(/did you mean "python_packages"/);
  });

  it('reports wrong types with the field path', () => {
    const [d] = only({ demo: `${ok}ports: [eighty]\n` });
    expect(d).toMatchObject({ path: 'ports[0]', line: 4, message: 'must be integer' });
  });

  it('catches an unquoted 3.10 that YAML reads as a number', () => {
    const [d] = only({ demo: 'description: d\nprofile: cpu\npython: 3.10\n' });
    expect(d).toMatchObject({ path: 'python', line: 3 });
    expect(d?.hint).toMatch(/quoted/);
  });

  it('rejects an invalid Python version', () => {
    const [d] = only({ demo: 'description: d\nprofile: cpu\npython: "three"\n' });
    expect(d?.message).toBe('"three" is not a Python version');
  });

  it('rejects an unknown profile and names the installed ones', () => {
    const [d] = only({ demo: 'description: d\nprofile: cuda11\npython: "3.11"\n' });
    expect(d?.message).toBe('unknown profile "cuda11"');
    expect(d?.hint).toMatch(/cuda12/);
  });

  it('rejects an unknown catalogue base with a suggestion', () => {
    const diags = only({
      'python-base': ok,
      demo: 'description: d\nprofile: cpu\nbase: pyton-base\n',
    });
    expect(diags.map((d) => d.message)).toContain('unknown catalogue image "pyton-base"');
    expect(diags.find((d) => d.path === 'base')?.hint).toMatch(/did you mean "python-base"/);
  });

  it('rejects an external base without a tag, and a latest tag', () => {
    const diags = only({
      a: 'description: d\nprofile: cpu\npython: "3.11"\nbase: docker.io/library/python\n',
      b: 'description: d\nprofile: cpu\npython: "3.11"\nbase: python:latest\n',
    });
    expect(diags.map((d) => d.message)).toEqual([
      '"docker.io/library/python" is not an image reference with an explicit tag',
      '"python:latest" uses the floating latest tag',
    ]);
  });

  it('rejects an image based on itself', () => {
    const diags = only({ demo: 'description: d\nprofile: cpu\npython: "3.11"\nbase: demo\n' });
    expect(diags.map((d) => d.message)).toContain('image "demo" is based on itself');
  });

  it('rejects a cycle of bases once', () => {
    const diags = only({
      a: 'description: d\nprofile: cpu\nbase: b\n',
      b: 'description: d\nprofile: cpu\nbase: a\n',
    });
    expect(diags.filter((d) => /cycle/.test(d.message))).toHaveLength(1);
  });

  it('rejects duplicate image names that differ only in case', () => {
    const diags = only({ demo: ok, Demo: ok });
    expect(diags.some((d) => /^image name "(demo|Demo)" duplicates/.test(d.message))).toBe(true);
  });

  it('rejects duplicate keys, naming the key', () => {
    expect(only({ demo: `${ok}profile: cpu\n` })[0]).toMatchObject({
      line: 4,
      message: 'duplicate key "profile"',
    });
  });

  it('rejects a Python the profile does not support', () => {
    const [d] = only({ demo: 'description: d\nprofile: neuron-inf1\npython: "3.11"\n' });
    expect(d?.message).toBe('profile "neuron-inf1" does not support Python 3.11');
    expect(d?.hint).toMatch(/3\.8, 3\.9, 3\.10/);
  });

  it('rejects a child whose inherited Python its profile does not support', () => {
    const diags = only({ base: ok, child: 'description: d\nprofile: neuron-inf1\nbase: base\n' });
    expect(diags[0]?.message).toMatch(/Python 3.11 \(inherited from base "base"\)/);
  });

  it('rejects a torch version the CUDA option has no wheels for', () => {
    const [d] = only({
      demo: 'description: d\nprofile: cuda12\nprofile_options: {cuda: "12.6"}\npython: "3.10"\npython_packages:\n  torch: "2.3.1"\n',
    });
    expect(d).toMatchObject({ path: 'python_packages.torch', line: 6 });
    expect(d?.message).toMatch(/does not work with profile "cuda12" \(cuda 12\.6\)/);
  });

  it('rejects an unknown profile option value', () => {
    const [d] = only({
      demo: 'description: d\nprofile: cuda12\nprofile_options: {cuda: "11.8"}\npython: "3.10"\n',
    });
    expect(d?.hint).toMatch(/12\.1, 12\.4, 12\.6/);
  });

  it('rejects a matrix image as a base', () => {
    const diags = only({
      m: 'description: d\nprofile: cpu\npython: ["3.10", "3.11"]\n',
      c: 'description: d\nprofile: cpu\nbase: m\n',
    });
    expect(diags.some((d) => /matrix image/.test(d.message))).toBe(true);
  });

  it.each([
    [
      'a package name',
      'python_packages:\n  "numpy\\nRUN evil": "1.0"\n',
      'python_packages.numpy\nRUN evil',
    ],
    ['a constraint', 'python_packages:\n  numpy: "1.0\\nRUN evil"\n', 'python_packages.numpy'],
    ['an env value', 'env:\n  A: "x\\nRUN evil"\n', 'env.A'],
    ['a label', 'labels:\n  a.b: "x\\rRUN evil"\n', 'labels.a.b'],
    ['a command', 'commands:\n  - "true\\nRUN evil"\n', 'commands[0]'],
    ['a system package', 'system_packages:\n  - "curl\\u0000"\n', 'system_packages[0]'],
  ])('rejects control characters in %s', (_what, extra, path) => {
    const diags = only({ demo: `${ok}${extra}` });
    expect(diags.find((d) => /contains/.test(d.message))?.path).toBe(path);
  });

  it('rejects a command that would become a RUN flag or continue the line', () => {
    const diags = only({
      demo: `${ok}commands:\n  - "--mount=type=bind,target=/x true"\n  - "echo hi \\\\"\n`,
    });
    expect(diags.map((d) => d.path)).toEqual(['commands[0]', 'commands[1]']);
  });

  it('reports every problem at once, across files', () => {
    const diags = only({
      a: 'description: d\nprofile: nope\npython: "3.11"\n',
      b: 'description: d\nprofile: cpu\npython: "x"\nfoo: 1\n',
    });
    expect(diags.map((d) => [d.file, d.message])).toEqual([
      ['images/a/image.yaml', 'unknown profile "nope"'],
      ['images/b/image.yaml', '"x" is not a Python version'],
      ['images/b/image.yaml', 'unknown field "foo"'],
    ]);
  });
});
