import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempWorkspace, nx, removeWorkspace, writeFile } from './support/temp-workspace';

/** A small tree: a cpu base with a child and grandchild, a cuda12 image and a neuron image on the base. */
const IMAGES = {
  base: 'description: base\nprofile: cpu\npython: "3.10"\n',
  child: 'description: child\nprofile: cpu\nbase: base\n',
  grandchild: 'description: grandchild\nprofile: cpu\nbase: child\n',
  gpu: 'description: gpu\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.10"\n',
  inf: 'description: inf\nprofile: neuron-inf1\nbase: base\n',
};
const ALL = Object.keys(IMAGES).sort();

let root: string;

beforeAll(() => {
  root = createTempWorkspace(IMAGES, { 'test/unit.test.ts': 'export {};\n' });
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

  it('generates through Nx and hits the cache the second time', () => {
    const first = nx(root, 'run', 'grandchild:generate', '--outputStyle=static');
    expect(first).toMatch(/Successfully ran target generate/);
    expect(readFileSync(join(root, 'images/grandchild/Dockerfile'), 'utf8')).toMatch(
      /^# GENERATED/,
    );
    const second = nx(root, 'run', 'grandchild:generate', '--outputStyle=static');
    expect(second).toMatch(
      /Nx read the output from the cache instead of running the command for 1 out of 1 tasks/,
    );
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
    ['the Nx plugin code', ['tools/imagesmith/src/plugin/create-targets.ts'], ALL],
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
