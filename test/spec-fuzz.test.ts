import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, specWorkspace, treeHashes, writeSpec } from './support/spec-workspace';

// Issue 16: whatever a spec says, `imagesmith generate` answers with a named error or a result,
// never an internal error (exit 70), never slowly, never changes a file outside the image's own
// folder, and what it writes is then in sync. Every spec field gets random values and types,
// YAML-level nasties included, and the real generate path runs on each in a temp workspace.
// Seeded, so a failure reproduces.

const REQUIRED: Record<string, string> = {
  description: 'description: fuzzed',
  profile: 'profile: cpu',
  python: 'python: "3.11"',
};

/** Each spec field (and map key) as the YAML that puts `v` there. */
const FIELDS: [string, (v: string) => string][] = [
  ['description', (v) => `description: ${v}`],
  ['profile', (v) => `profile: ${v}`],
  ['profile_options', (v) => `profile_options: ${v}`],
  ['profile_options.*', (v) => `profile_options: {cuda: ${v}}`],
  ['profile_options key', (v) => `profile_options: {${v}: "12.1"}`],
  ['base', (v) => `base: ${v}`],
  ['python', (v) => `python: ${v}`],
  ['python[0]', (v) => `python: [${v}]`],
  ['system_packages', (v) => `system_packages: ${v}`],
  ['system_packages[0]', (v) => `system_packages: [${v}]`],
  ['python_packages', (v) => `python_packages: ${v}`],
  ['python_packages.*', (v) => `python_packages: {numpy: ${v}}`],
  ['python_packages key', (v) => `python_packages: {${v}: "*"}`],
  ['commands', (v) => `commands: ${v}`],
  ['commands[0]', (v) => `commands: [${v}]`],
  ['env', (v) => `env: ${v}`],
  ['env.*', (v) => `env: {A: ${v}}`],
  ['env key', (v) => `env: {${v}: x}`],
  ['labels', (v) => `labels: ${v}`],
  ['labels.*', (v) => `labels: {a: ${v}}`],
  ['labels key', (v) => `labels: {${v}: x}`],
  ['user', (v) => `user: ${v}`],
  ['user.name', (v) => `user: {name: ${v}}`],
  ['user.uid', (v) => `user: {uid: ${v}}`],
  ['user.gid', (v) => `user: {gid: ${v}}`],
  ['workdir', (v) => `workdir: ${v}`],
  ['entrypoint', (v) => `entrypoint: ${v}`],
  ['entrypoint[0]', (v) => `entrypoint: [${v}]`],
  ['init', (v) => `init: ${v}`],
  ['cmd', (v) => `cmd: ${v}`],
  ['cmd[0]', (v) => `cmd: [${v}]`],
  ['ports', (v) => `ports: ${v}`],
  ['ports[0]', (v) => `ports: [${v}]`],
  ['stages', (v) => `stages: ${v}`],
  ['stages.development', (v) => `stages: {development: ${v}}`],
  ['stages.*.env.*', (v) => `stages: {production: {env: {A: ${v}}}}`],
  ['stages.*.commands[0]', (v) => `stages: {development: {commands: [${v}]}}`],
  ['stages.*.python_packages.*', (v) => `stages: {production: {python_packages: {x: ${v}}}}`],
  ['stages.*.system_packages[0]', (v) => `stages: {development: {system_packages: [${v}]}}`],
  ['build_packages', (v) => `build_packages: ${v}`],
  ['build_packages[0]', (v) => `build_packages: [${v}]`],
  ['platforms', (v) => `platforms: ${v}`],
  ['platforms[0]', (v) => `platforms: [${v}]`],
  ['version', (v) => `version: ${v}`],
  ['revision', (v) => `revision: ${v}`],
  ['tests', (v) => `tests: ${v}`],
  ['tests.commands', (v) => `tests: {commands: ${v}}`],
  ['tests.commands[0]', (v) => `tests: {commands: [${v}]}`],
  ['tests.commands[0].name', (v) => `tests: {commands: [{name: ${v}, run: "true"}]}`],
  ['tests.commands[0].run', (v) => `tests: {commands: [{name: a, run: ${v}}]}`],
  ['tests.commands[0].exit_code', (v) => `tests: {commands: [{name: a, run: b, exit_code: ${v}}]}`],
  ['tests.commands[0].output', (v) => `tests: {commands: [{name: a, run: b, output: ${v}}]}`],
  ['tests.commands[0].requires', (v) => `tests: {commands: [{name: a, run: b, requires: ${v}}]}`],
  ['tests.files', (v) => `tests: {files: ${v}}`],
  ['tests.files.exist[0]', (v) => `tests: {files: {exist: [${v}]}}`],
  ['tests.files.absent', (v) => `tests: {files: {absent: ${v}}}`],
  ['tests.env.*', (v) => `tests: {env: {A: ${v}}}`],
  ['tests.imports.*', (v) => `tests: {imports: {numpy: ${v}}}`],
  ['tests.imports key', (v) => `tests: {imports: {${v}: ""}}`],
  ['tests.non_root', (v) => `tests: {non_root: ${v}}`],
  ['tests.max_size_mb', (v) => `tests: {max_size_mb: ${v}}`],
  ['deprecated', (v) => `deprecated: ${v}`],
  ['deprecated.since', (v) => `deprecated: {since: ${v}, use_instead: python-base}`],
  ['deprecated.use_instead', (v) => `deprecated: {since: "2024", use_instead: ${v}}`],
  ['deprecated.reason', (v) => `deprecated: {since: "2024", use_instead: x/y:1, reason: ${v}}`],
  ['top-level key', (v) => `${v}: 1`],
];

/** Values as YAML text that a hand-written or hostile spec could hold. */
const NASTY = [
  'null',
  '~',
  '',
  '""',
  '.nan',
  '.inf',
  '-.inf',
  '1e400',
  '0x1F',
  '0o17',
  '-1',
  '0',
  '99999999999999999999',
  '3.10',
  'true',
  'yes',
  '!!binary aGVsbG8=',
  '!!timestamp 2001-12-14',
  '!!set {a, b}',
  '!!omap [a: 1]',
  '!!pairs [a: 1]',
  '!!str 3.10',
  '!!int "12"',
  '!custom x',
  '*nope',
  '&a [*a]',
  '&x {k: v}',
  '{<<: {a: 1}}',
  '{"<<": 1}',
  '[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]',
  `${'['.repeat(300)}${']'.repeat(300)}`,
  `"${'a'.repeat(20000)}"`,
  '"<!-- catalogue:end -->"',
  '"<!-- catalogue:start (generated by `imagesmith generate --all`; do not edit) -->"',
  '"| a | b |"',
  '"$(touch /tmp/pwned)"',
  '"`id`"',
  '"a\\nRUN touch /tmp/pwned"',
  '"\\u2028"',
  '"\\0"',
  '"\\e[31m"',
  '"../../../etc/passwd"',
  '"/../../x"',
  '"(a+)+$"',
  '"(("',
  '"[z-a]"',
  '"\\\\"',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '{__proto__: {polluted: 1}}',
  '{constructor: {prototype: 1}}',
  '"python-base"',
  '"fuzz"',
  'python-base:latest',
  '"# comment"',
  '? [a, b]',
  '[a, b]: c',
  '{[a]: b}',
  '"\\uD800"',
  '"\\uFEFF"',
  "'single ''quoted'''",
  '|\n    block\n    text',
  '>-\n    folded',
];

const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  },
  // Printable text with the characters that matter to Markdown, shells, Dockerfiles and UTF-8
  // (each half of a surrogate pair on its own too): often valid, so generation runs to the end.
  {
    weight: 4,
    arbitrary: fc
      .string({
        unit: fc.constantFrom(...[...'ab1 -_./<>|"\'\\$`#:{}[]é😀'], '\uD800', '\uDC00'),
        maxLength: 20,
      })
      .map((s) => JSON.stringify(s)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Whole documents that are not a map of fields, or are one only with YAML tricks. */
const bomb = (depth: number) =>
  [
    'a: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...Array.from(
      { length: depth },
      (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]`,
    ),
  ].join('\n');
const DOCUMENTS = [
  bomb(3),
  bomb(8),
  '',
  '\uFEFF',
  '---\n---\n',
  'description: a\n---\ndescription: b\n',
  '[]',
  'null',
  '"just a string"',
  '%YAML 1.1\n---\ndescription: x\nprofile: cpu\npython: "3.11"\n',
  '%TAG !e! tag:example.com,2000:\n---\ndescription: !e!x y\n',
  'description: x\nprofile: cpu\npython: "3.11"\n<<: {env: {A: b}}\n',
  '\u0000\u0001\u0002binary\u00ff',
  'a:\tb',
  `${'k'.repeat(2000)}: v`,
  `description: x\nprofile: cpu\npython: "3.11"\nenv:\n${Array.from({ length: 2000 }, (_, i) => `  K${i}: v`).join('\n')}\n`,
];

const specText: fc.Arbitrary<{ field: string; text: string }> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.tuple(fc.constantFrom(...FIELDS), value).map(([[field, put], v]) => {
      const top = field.split(/[.[ ]/)[0]!;
      const lines = Object.entries(REQUIRED)
        .filter(([k]) => k !== top)
        .map(([, line]) => line);
      return { field, text: `${[...lines, put(v)].join('\n')}\n` };
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...DOCUMENTS).map((text) => ({ field: '(document)', text })),
  },
);

let root: string;
beforeAll(async () => {
  root = specWorkspace({ 'python-base': 'description: Base\nprofile: cpu\npython: "3.11"\n' });
  expect((await cli(root, 'generate', '--all')).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const outsideImage = (path: string) => path === 'images/fuzz' || path.startsWith('images/fuzz/');

describe('generate on a fuzzed spec', () => {
  it('never fails internally, never hangs, never writes outside images/<name>/', async () => {
    await fc.assert(
      fc.asyncProperty(specText, fc.boolean(), async ({ field, text }, check) => {
        rmSync(join(root, 'images/fuzz'), { recursive: true, force: true });
        writeSpec(root, 'fuzz', text);
        const before = treeHashes(root, outsideImage);
        const argv = check ? ['generate', '--all', '--check'] : ['generate', 'fuzz'];
        // A library's own warning (yaml's process.emitWarning) would print the file's text itself.
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.message);
        process.on('warning', onWarning);
        const started = performance.now();
        const { code, stderr } = await cli(root, ...argv).finally(() =>
          process.off('warning', onWarning),
        );
        const ms = performance.now() - started;

        const context = `${field}: ${JSON.stringify(text.slice(0, 300))}\n${stderr.slice(0, 2000)}`;
        expect([0, 1, 2], context).toContain(code);
        expect(stderr, context).not.toMatch(/internal error/);
        expect(ms, context).toBeLessThan(5000);
        expect(warnings, context).toEqual([]);
        expect(treeHashes(root, outsideImage), context).toEqual(before);
        // What was written is what generation plans: a spec that generates is then in sync.
        if (!check && code === 0)
          expect((await cli(root, 'generate', '--check', 'fuzz')).stdout, context).toMatch(
            /up to date/,
          );
      }),
      { seed: 16, numRuns: 200, endOnFailure: true },
    );
  });
});
