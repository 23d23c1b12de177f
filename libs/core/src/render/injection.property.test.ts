import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateVariant } from '../generate/generate-variant';
import { check, realTemplates, workspaceOf } from '../../test-support/fixtures';
import { resolveVariants } from '../catalogue/variants';

/** A spec with every string field set to a harmless value; `put` swaps one for the random string. */
const BASE = {
  description: 'x',
  profile: 'cpu',
  python: '3.11',
  system_packages: ['curl'],
  python_packages: { numpy: '^1.26' },
  commands: ['true'],
  env: { A: 'x' },
  labels: { 'a.b': 'x' },
  user: { name: 'app' },
  workdir: '/workspace',
  entrypoint: ['x'],
  cmd: ['x'],
  version: '1.0',
  stages: {
    development: {
      system_packages: ['vim-tiny'],
      commands: ['true'],
      env: { B: 'x' },
      python_packages: { ipython: '*' },
    },
  },
};

type Put = (spec: any, s: string) => void;
const FIELDS: Record<string, Put> = {
  description: (x, s) => (x.description = s),
  'system package': (x, s) => (x.system_packages = [s]),
  'python package name': (x, s) => (x.python_packages = { [s]: '*' }),
  'python constraint': (x, s) => (x.python_packages = { numpy: s }),
  command: (x, s) => (x.commands = [s]),
  'env key': (x, s) => (x.env = { [s]: 'x' }),
  'env value': (x, s) => (x.env = { A: s }),
  'label key': (x, s) => (x.labels = { [s]: 'x' }),
  'label value': (x, s) => (x.labels = { 'a.b': s }),
  'user name': (x, s) => (x.user = { name: s }),
  workdir: (x, s) => (x.workdir = s),
  entrypoint: (x, s) => (x.entrypoint = [s]),
  cmd: (x, s) => (x.cmd = [s]),
  version: (x, s) => (x.version = s),
  base: (x, s) => (x.base = s),
  'dev command': (x, s) => (x.stages.development.commands = [s]),
  'dev env value': (x, s) => (x.stages.development.env = { B: s }),
};

function instructions(text: string): string[] {
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i) => i.getKeyword());
}

function renderSpec(spec: object): string | undefined {
  const text = stringify(spec);
  if (check({ demo: text }).diagnostics.length > 0) return undefined;
  const ws = workspaceOf({ demo: text });
  const [v] = resolveVariants(ws, 'demo');
  return generateVariant(v!, {
    specText: text,
    templates: realTemplates,
    requirements: { main: '', dev: '', mainCount: 1, devCount: 1 },
  })[0]!.content;
}

// Strings that matter most: Dockerfile keywords after line breaks, quotes, continuations, variables.
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\nUSER root',
    '\r\nRUN id',
    'x\\',
    '"; RUN id; "',
    '${HOME}',
    '$(id)',
    '\u2028RUN id',
    '--mount=type=bind,target=/x id',
    'a\u0000b',
    '# comment',
    '\\\nRUN id',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('\n', '\r', '\t', '\u000b', '\u001b', '\u0085'),
      fc.constantFrom('RUN id', 'USER root', 'FROM scratch'),
    )
    .map(([a, b, c]) => a + b + c),
);

describe('no spec string can inject a Dockerfile instruction', () => {
  const baseline = instructions(renderSpec(BASE)!);

  it.each(Object.keys(FIELDS))(
    '%s: rejected, or rendered with exactly the baseline instructions',
    (field) => {
      fc.assert(
        fc.property(nasty, (s) => {
          const spec = structuredClone(BASE);
          FIELDS[field]!(spec, s);
          const text = renderSpec(spec);
          if (text === undefined) return true;
          expect(instructions(text)).toEqual(baseline);
          return true;
        }),
        { numRuns: 150 },
      );
    },
  );
});
