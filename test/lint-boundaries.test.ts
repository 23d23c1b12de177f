/**
 * The module-boundary lint (`npm run lint:boundaries`, eslint.config.mjs) catches an import that
 * goes up or sideways between the libraries or reaches into another library's files, and allows
 * the downward ones. Probes are linted as text under a path inside a library: nothing is written.
 * (.ci/run lints the code itself with `npm run lint:boundaries`.)
 */
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../tools/testkit/temp-workspace';

let eslint: ESLint;

beforeAll(async () => {
  // The Nx rule reads the cached project graph and skips itself without one (as the npm script
  // computes it first, so does this test).
  process.env.NX_DAEMON = 'false';
  await createProjectGraphAsync({ exitOnError: false });
  eslint = new ESLint({ cwd: REPO });
}, 300_000);

/** The rule ids and messages ESLint reports for `code` as if it were the file at `filePath`. */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint:boundaries', () => {
  it.each([
    // core is below both: an import upward closes a cycle, which the rule reports first.
    [
      'core',
      'lock',
      'libs/core/src/catalogue/probe.ts',
      /Circular dependency between "core" and "lock"/,
    ],
    [
      'core',
      'engine',
      'libs/core/src/catalogue/probe.ts',
      /Circular dependency between "core" and "engine"/,
    ],
    [
      'lock',
      'engine',
      'libs/lock/src/probe.ts',
      /"scope:lock" can only depend on libs tagged with "scope:core"/,
    ],
    [
      'engine',
      'lock',
      'libs/engine/src/probe.ts',
      /"scope:engine" can only depend on libs tagged with "scope:core"/,
    ],
    [
      'core',
      'plan',
      'libs/core/src/catalogue/probe.ts',
      /Circular dependency between "core" and "plan"/,
    ],
    ['lock', 'plan', 'libs/lock/src/probe.ts', /Circular dependency between "lock" and "plan"/],
    [
      'engine',
      'plan',
      'libs/engine/src/probe.ts',
      /"scope:engine" can only depend on libs tagged with "scope:core"/,
    ],
    [
      'plan',
      'engine',
      'libs/plan/src/probe.ts',
      /"scope:plan" can only depend on libs tagged with "scope:core", "scope:lock"/,
    ],
  ])('refuses %s importing @imagesmith/%s', async (_from, to, file, message) => {
    const found = await lint(file, `import { x } from '@imagesmith/${to}';\nexport const y = x;\n`);
    expect(found.join('\n')).toMatch(message);
  });

  it('refuses a relative path into another library', async () => {
    const code = "import { x } from '../../../lock/src/parse-lock';\nexport const y = x;\n";
    expect(await lint('libs/core/src/catalogue/probe.ts', code)).toEqual([
      '@nx/enforce-module-boundaries: Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it("refuses a deep import past a library's entry point", async () => {
    const code = "import { x } from '@imagesmith/engine/src/types';\nexport const y = x;\n";
    const [found, ...rest] = await lint('tools/imagesmith/src/probe.ts', code);
    expect(rest).toEqual([]);
    expect(found).toMatch(/^no-restricted-imports: .*@imagesmith\/engine\/src\/types.*entry point/);
  });

  it("refuses `export *` in a library's entry point", async () => {
    expect(await lint('libs/engine/src/index.ts', "export * from './types';\n")).toEqual([
      'no-restricted-syntax: Export by name (export { a, type B } from ...): only what another package uses.',
    ]);
  });

  it('cannot be switched off by an eslint-disable comment', async () => {
    const code =
      "// eslint-disable-next-line\nimport { x } from '@imagesmith/engine';\nexport const y = x;\n";
    expect((await lint('libs/lock/src/probe.ts', code)).join('\n')).toMatch(
      /"scope:lock" can only/,
    );
  });

  it('allows the downward imports and the entry points', async () => {
    const tools =
      "import { a } from '@imagesmith/core';\nimport { b } from '@imagesmith/core/lint';\n" +
      "import { c } from '@imagesmith/engine';\nimport { d } from '@imagesmith/lock';\n" +
      "import { e } from '@imagesmith/plan';\nexport const y = [a, b, c, d, e];\n";
    expect(await lint('tools/imagesmith/src/probe.ts', tools)).toEqual([]);
    const lock = "import { a } from '@imagesmith/core';\nexport const y = a;\n";
    expect(await lint('libs/lock/src/probe.ts', lock)).toEqual([]);
    expect(await lint('libs/engine/src/probe.ts', lock)).toEqual([]);
    const plan =
      "import { a } from '@imagesmith/core';\nimport { b } from '@imagesmith/lock';\nexport const y = [a, b];\n";
    expect(await lint('libs/plan/src/probe.ts', plan)).toEqual([]);
  });
});
