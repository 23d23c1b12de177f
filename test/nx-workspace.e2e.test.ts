import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTempWorkspace,
  nx,
  NX_ENV,
  REPO,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';

/** A small tree: a cpu base with a child and grandchild, a cuda12 image and a neuron image on the base. */
const IMAGES = {
  // Python 3.10 (ended 2026-10): the Inf1 profile below supports nothing later; its children inherit
  // the reason.
  base: 'description: base\nprofile: cpu\npython: "3.10"\nallow_eol: Inf1 fixture\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
  grandchild: 'description: grandchild\nprofile: cpu\nbase: child\n',
  gpu: 'description: gpu\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.11"\n',
  inf: 'description: inf\nprofile: neuron-inf1\nbase: base\n',
};
const ALL = Object.keys(IMAGES).sort();

let root: string;

beforeAll(() => {
  root = createTempWorkspace(IMAGES, {
    'test/unit.test.ts': 'export {};\n',
    'libs/core/README.md': '# core\n',
    'docs/guide.md': '# guide\n',
  });
});
afterAll(() => removeWorkspace(root));

function affected(...files: string[]): string[] {
  const out = nx(
    root,
    'show',
    'projects',
    '--affected',
    `--files=${files.join(',')}`,
    '--type=app',
    '--json',
  );
  return (JSON.parse(out) as string[]).sort();
}

/** The validate tasks `nx affected -t validate` would run, read from its task graph without running it. */
function affectedValidateTasks(...files: string[]): string[] {
  const out = join(root, 'tasks.json');
  nx(root, 'affected', '-t', 'validate', `--files=${files.join(',')}`, `--graph=${out}`);
  const graph = JSON.parse(readFileSync(out, 'utf8')) as {
    tasks: { tasks: Record<string, unknown> };
  };
  return Object.keys(graph.tasks.tasks)
    .filter((t) => t.endsWith(':validate'))
    .map((t) => t.split(':')[0]!)
    .sort();
}

describe('Nx knows the image tree', () => {
  it('lists one project per image plus the profile libraries', () => {
    const projects = JSON.parse(nx(root, 'show', 'projects', '--json')) as string[];
    expect(projects).toEqual(
      expect.arrayContaining([
        ...ALL,
        'profile-cpu',
        'profile-cuda12',
        'profile-neuron-inf1',
        'templates',
      ]),
    );
  });

  it('draws image -> base and image -> profile edges', () => {
    nx(root, 'graph', '--file=graph.json');
    const graph = JSON.parse(readFileSync(join(root, 'graph.json'), 'utf8')) as {
      graph: { dependencies: Record<string, { target: string }[]> };
    };
    const targets = (p: string) => graph.graph.dependencies[p]!.map((d) => d.target);
    expect(targets('grandchild')).toEqual(
      expect.arrayContaining(['child', 'profile-cpu', 'templates']),
    );
    expect(targets('inf')).toEqual(expect.arrayContaining(['base', 'profile-neuron-inf1']));
  });

  it('nx sync:check passes on the committed files and fails after a spec edit; nx sync fixes it', () => {
    expect(nx(root, 'sync:check')).toMatch(/up to date/);
    const spec = readFileSync(join(root, 'images/grandchild/image.yaml'), 'utf8');
    writeFile(root, 'images/grandchild/image.yaml', spec.replace('grandchild', 'edited leaf'));
    expect(() => nx(root, 'sync:check')).toThrow(/images\/grandchild\/Dockerfile/);
    nx(root, 'sync');
    expect(readFileSync(join(root, 'images/grandchild/Dockerfile'), 'utf8')).toMatch(
      /^# edited leaf$/m,
    );
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toBe('# fixture\n');
    expect(nx(root, 'sync:check')).toMatch(/up to date/);
    writeFile(root, 'images/grandchild/image.yaml', spec);
    nx(root, 'sync');
  });

  it('lints through Nx and hits the cache the second time', () => {
    const first = nx(root, 'run', 'grandchild:lint', '--outputStyle=static');
    expect(first).toMatch(/Successfully ran target lint/);
    const second = nx(root, 'run', 'grandchild:lint', '--outputStyle=static');
    expect(second).toMatch(
      /Nx read the output from the cache instead of running the command for 1 out of 1 tasks/,
    );
  });

  it('in CI (no sync before tasks) a target refuses generated files that are out of date', () => {
    const spec = readFileSync(join(root, 'images/child/image.yaml'), 'utf8');
    writeFile(root, 'images/child/image.yaml', spec.replace('child', 'edited child'));
    try {
      expect(() => nx(root, 'run', 'child:lint', '--outputStyle=static')).toThrow(
        /generated files are out of date[\s\S]*images\/child\/Dockerfile[\s\S]*nx sync/,
      );
    } finally {
      writeFile(root, 'images/child/image.yaml', spec);
    }
  });

  it('on a terminal too, a target writes nothing before it runs: it names the files and `npx nx sync`', () => {
    const spec = readFileSync(join(root, 'images/inf/image.yaml'), 'utf8');
    const dockerfile = readFileSync(join(root, 'images/inf/Dockerfile'), 'utf8');
    writeFile(
      root,
      'images/inf/image.yaml',
      spec.replace('description: inf', 'description: synced'),
    );
    try {
      // `script` gives Nx a terminal, as on a laptop; CI unset. No target declares a sync
      // generator (outside a terminal Nx would fail them all, lock included: create-targets.ts),
      // so a terminal and a pipe behave alike.
      let out = '';
      try {
        execFileSync(
          'script',
          [
            '-qec',
            `${join(REPO, 'node_modules/.bin/nx')} run inf:lint --outputStyle=static`,
            '/dev/null',
          ],
          { cwd: root, env: { ...NX_ENV, CI: undefined } as NodeJS.ProcessEnv, stdio: 'pipe' },
        );
      } catch (error) {
        out = String((error as { stdout?: Buffer }).stdout ?? '');
      }
      expect(out).toMatch(/images\/inf\/Dockerfile[\s\S]*run `npx nx sync`/);
      expect(readFileSync(join(root, 'images/inf/Dockerfile'), 'utf8')).toBe(dockerfile);
    } finally {
      writeFile(root, 'images/inf/image.yaml', spec);
    }
  });
});

describe('nx affected follows exactly what a change touches', () => {
  const scenarios: [string, string[], string[]][] = [
    ['a profile fragment', ['profiles/cuda12/fragments/runtime.hbs'], ['gpu']],
    ['profile data', ['profiles/neuron-inf1/profile.yaml'], ['inf']],
    [
      'the cpu profile (children via their parents)',
      ['profiles/cpu/profile.yaml'],
      ['base', 'child', 'grandchild', 'inf'],
    ],
    ['a shared template', ['templates/python-base/from.hbs'], ALL],
    ['a parent spec', ['images/child/image.yaml'], ['child', 'grandchild']],
    ['a lock', ['images/base/poetry.lock'], ['base', 'child', 'grandchild', 'inf']],
    ['a leaf spec', ['images/grandchild/image.yaml'], ['grandchild']],
    ['the generator code', ['libs/core/src/render/render-dockerfile.ts'], ALL],
    ['the build code', ['libs/engine/src/build-argv.ts'], ALL],
    ['the lock code', ['libs/lock/src/render-pyproject.ts'], ALL],
    ['the Nx plugin code', ['tools/imagesmith/src/plugin/create-targets.ts'], ALL],
    ['a profile schema', ['libs/core/src/profiles/profile.schema.json'], ALL],
    ['a test beside the generator', ['libs/core/src/render/render.test.ts'], []],
    ['a test of the CLI', ['tools/imagesmith/src/workflows/build/build.test.ts'], []],
    ['a golden file', ['libs/core/src/render/golden/cpu.Dockerfile'], []],
    ['a library README', ['libs/core/README.md'], []],
    ['a benchmark', ['tools/bench/ci-leaf-change.ts'], []],
    ['a test fixture (test helpers live outside src/)', ['libs/core/test-support/fixtures.ts'], []],
    ['the testkit the tests and benchmarks share', ['tools/testkit/temp-workspace.ts'], []],
    ['the docs', ['docs/guide.md'], []],
    ['the README only', ['README.md'], []],
    ['a test-only file outside the projects', ['test/unit.test.ts'], []],
    ['nx.json', ['nx.json'], ALL],
  ];
  it.each(scenarios)('%s', (_name, files, expected) => {
    for (const f of files) if (f.endsWith('poetry.lock')) writeFile(root, f, '# lock\n');
    expect(affected(...files)).toEqual([...expected].sort());
    // `nx affected -t validate` would run validate for exactly those images.
    expect(affectedValidateTasks(...files)).toEqual([...expected].sort());
  });
});
