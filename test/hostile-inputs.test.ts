import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, specWorkspace, treeHashes } from './support/spec-workspace';

// Issue 16, "inputs that cannot hurt": what a hostile or broken input does to `imagesmith generate`,
// seen as a user sees it (exit code, message, files).

const base = 'description: Base\nprofile: cpu\npython: "3.11"\n';
const temps: string[] = [];
const temp = (dir: string) => (temps.push(dir), dir);
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('symbolic links never take generation outside the workspace', () => {
  it('refuses an image folder linked to a folder outside, writing nothing there', async () => {
    const root = temp(specWorkspace({ 'python-base': base }));
    const outside = temp(mkdtempSync(join(tmpdir(), 'imagesmith-outside-')));
    writeFileSync(join(outside, 'image.yaml'), base);
    writeFileSync(join(outside, 'README.md'), 'not yours\n');
    symlinkSync(outside, join(root, 'images/evil'));
    const before = treeHashes(root);

    const { code, stderr } = await cli(root, 'generate', '--all');

    expect(code).toBe(1);
    expect(stderr).toMatch(/images\/evil: is a symbolic link .*does not follow links/);
    expect(readFileSync(join(outside, 'README.md'), 'utf8')).toBe('not yours\n');
    expect(existsSync(join(outside, 'Dockerfile'))).toBe(false);
    expect(existsSync(join(outside, 'pyproject.toml'))).toBe(false);
    expect(treeHashes(root)).toEqual(before);
  });

  it('refuses a spec linked to a file outside without echoing its content', async () => {
    const root = temp(specWorkspace({ 'python-base': base }));
    const secret = join(temp(mkdtempSync(join(tmpdir(), 'imagesmith-secret-'))), 'shadow');
    writeFileSync(
      secret,
      Array.from({ length: 26 }, (_, i) => `user${i}:$6$s3cr3thash${i}:19000:0:99999:7:::`).join(
        '\n',
      ),
    );
    mkdirSync(join(root, 'images/leak'));
    symlinkSync(secret, join(root, 'images/leak/image.yaml'));

    const { code, stderr } = await cli(root, 'generate', 'leak');

    expect(code).toBe(1);
    expect(stderr).toMatch(/images\/leak\/image\.yaml: is a symbolic link/);
    expect(stderr).not.toMatch(/s3cr3t/);
  });

  it('a linked spec fails only the commands whose images include it', async () => {
    const root = temp(specWorkspace({ 'python-base': base }));
    mkdirSync(join(root, 'images/leak'));
    symlinkSync('/etc/hostname', join(root, 'images/leak/image.yaml'));
    expect((await cli(root, 'generate', 'python-base')).code).toBe(0);
  });

  it('refuses to write a generated file that is a link to a file outside', async () => {
    const root = temp(specWorkspace({ 'python-base': base }));
    expect((await cli(root, 'generate', '--all')).code).toBe(0);
    const target = join(temp(mkdtempSync(join(tmpdir(), 'imagesmith-target-'))), 'victim');
    writeFileSync(target, 'untouched\n');
    rmSync(join(root, 'images/python-base/Dockerfile'));
    symlinkSync(target, join(root, 'images/python-base/Dockerfile'));

    const { code, stderr } = await cli(root, 'generate', '--all');

    expect(code).toBe(1);
    expect(stderr).toMatch(/images\/python-base\/Dockerfile: is a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('untouched\n');
  });

  it('refuses a templates folder linked from elsewhere', async () => {
    const root = temp(specWorkspace({ 'python-base': base }));
    const elsewhere = join(temp(mkdtempSync(join(tmpdir(), 'imagesmith-templates-'))), 'templates');
    renameSync(join(root, 'templates'), elsewhere);
    symlinkSync(elsewhere, join(root, 'templates'));

    const { code, stderr } = await cli(root, 'generate', '--all');

    expect(code).toBe(1);
    expect(stderr).toMatch(/templates: is a symbolic link/);
  });

  it('echoes at most a short excerpt of a file that is not a spec at all', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `secret_${i}_${'x'.repeat(100)}: 1`);
    const root = temp(specWorkspace({ 'python-base': base, junk: `${lines.join('\n')}\n` }));

    const { code, stderr } = await cli(root, 'generate', 'junk');

    expect(code).toBe(1);
    expect(stderr).toMatch(/none of its 40 top-level keys is a field of imagesmith image spec/);
    expect(stderr).not.toMatch(/secret_/);
  });

  it('caps how many problems of one file it prints, and how much of each key', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `secret_${i}_${'x'.repeat(100)}: 1`);
    const root = temp(specWorkspace({ demo: `${base}${lines.join('\n')}\n` }));

    const { code, stderr } = await cli(root, 'generate', 'demo');

    expect(code).toBe(1);
    expect(stderr.match(/unknown field/g)).toHaveLength(20);
    expect(stderr).toMatch(/20 more problems not shown/);
    expect(stderr).not.toMatch(/x{60}/);
  });
});

describe('YAML a spec cannot hold is a named error, and nothing is written', () => {
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  ].join('\n');
  it.each([
    ['an alias bomb', bomb, /image\.yaml:5:\d+: its aliases \(\*name\) expand to too many values/],
    [
      'a null env value',
      'env: {A: null}',
      /:4:10: env\.A: must be string or number or boolean\n.*hint: the value is empty \(null\)/,
    ],
    [
      'a bare env key',
      'env:\n  A:',
      /:5:\d+: env\.A: must be string or number or boolean\n.*the value is empty/,
    ],
    [
      'a map as env value',
      'env: {A: {b: 1}}',
      /env\.A: must be string or number or boolean\n.*not a map/,
    ],
    [
      'a list as env value',
      'env: {A: [1]}',
      /env\.A: must be string or number or boolean\n.*not a list/,
    ],
    [
      '!!binary',
      'env: {A: !!binary aGVsbG8=}',
      /:4:\d+: env\.A: the tag !!binary is not supported/,
    ],
    ['!!binary in a label', 'labels: {a: !!binary aGVsbG8=}', /labels\.a: the tag !!binary/],
    ['!!timestamp', 'version: !!timestamp 2001-12-14', /version: the tag !!timestamp/],
    ['!!set', 'system_packages: !!set {curl}', /system_packages: the tag !!set/],
    ['a custom tag', 'workdir: !secret /x', /workdir: the tag !secret/],
    ['a merge key', 'env:\n  <<: {A: x}', /:5:3: env\.<<: merge keys \(<<\) are not supported/],
    ['a merged alias', 'labels: &l {a: b}\nenv:\n  <<: *l', /env\.<<: merge keys/],
    [
      'an alias without anchor',
      'env: {A: *nope}',
      /env\.A: alias \*nope has no anchor &nope before it/,
    ],
    [
      'a self-referencing alias',
      'env: &x {A: *x}',
      /env\.A: alias \*x is inside the value it refers to/,
    ],
    [
      'a null python package',
      'python_packages: {numpy: }',
      /python_packages\.numpy: must be string\n.*empty \(null\)/,
    ],
    ['a null command', 'commands: [~]', /commands\[0\]: must be string\n.*empty \(null\)/],
    ['a list as a key', 'labels: {[a, b]: c}', /labels: a key is a list, a map or an alias/],
    // Rendered as NaN once, then as null from the validation cache (JSON has no NaN).
    ['a NaN env value', 'env: {A: .nan}', /:4:10: env\.A: \.nan is not a finite number/],
    [
      'a map as a test env value',
      'tests: {env: {A: {b: c}}}',
      /tests\.env\.A: must be string\n.*not a map/,
    ],
  ])('%s', async (_, yaml, message) => {
    const root = temp(specWorkspace({ demo: `${base}${yaml}\n` }));
    const before = treeHashes(root);

    const { code, stderr } = await cli(root, 'generate', '--all');

    expect(code).toBe(1);
    expect(stderr).toMatch(/images\/demo\/image\.yaml/);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/hint: /);
    expect(treeHashes(root)).toEqual(before);
  });
});

describe('a check whose output pattern is not a regular expression', () => {
  it('is refused when the spec is loaded, naming the field and line', async () => {
    const spec = `${base}tests:\n  commands:\n    - name: ok\n      run: "true"\n    - name: broken\n      run: echo hi\n      output: "hi ("\n`;
    const root = temp(specWorkspace({ demo: spec }));
    const before = treeHashes(root);

    const { code, stderr } = await cli(root, 'generate', 'demo');

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /images\/demo\/image\.yaml:10:15: tests\.commands\[1\]\.output: is not a valid regular expression: .*Unterminated group/,
    );
    expect(treeHashes(root)).toEqual(before);
  });
});

describe('spec text cannot break the README catalogue table', () => {
  it.each([
    '<!-- catalogue:end -->',
    '<!-- catalogue:start (generated by `imagesmith generate --all`; do not edit) -->',
  ])('a description containing %s is generated once and then in sync', async (marker) => {
    const root = temp(
      specWorkspace({ demo: `description: "x ${marker} | y"\nprofile: cpu\npython: "3.11"\n` }),
    );
    expect((await cli(root, 'generate', '--all')).code).toBe(0);
    const first = readFileSync(join(root, 'images/README.md'), 'utf8');
    expect((await cli(root, 'generate', '--all')).code).toBe(0);

    expect(readFileSync(join(root, 'images/README.md'), 'utf8')).toBe(first);
    expect(first).toContain('| x &lt;!-- catalogue:');
    expect(first.match(/<!-- catalogue:end -->/g)).toHaveLength(1);
    const check = await cli(root, 'generate', '--all', '--check');
    expect(check.code).toBe(0);
  });
});

describe("keys named like Object.prototype's members are keys like any other", () => {
  it('a python package named constructor generates', async () => {
    const root = temp(specWorkspace({ demo: `${base}python_packages: {constructor: "*"}\n` }));
    const { code, stderr } = await cli(root, 'generate', 'demo');
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(0);
  });

  it.each(['__proto__', 'constructor', 'toString'])(
    'a profile option named %s is an unknown option',
    async (key) => {
      const root = temp(specWorkspace({ demo: `${base}profile_options: {${key}: "12.1"}\n` }));
      const { code, stderr } = await cli(root, 'generate', 'demo');
      expect(code).toBe(1);
      expect(stderr).toMatch(new RegExp(`profile_options\\.${key}: profile "cpu" has no option`));
    },
  );
});
