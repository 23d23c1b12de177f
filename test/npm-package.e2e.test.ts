/**
 * The npm package (@imagesmith/nx-plugin) works in a workspace that has nothing of this repository:
 * `npm pack` in tools/imagesmith (its prepack script builds the bundles and copies the built-in
 * profiles, templates and schemas into assets/) makes a tarball with no TypeScript sources or
 * tests, and that tarball, installed with npm into an empty folder, runs the CLI and loads the
 * Nx plugin and generators. Needs the npm registry (the package's dependencies are installed).
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../tools/testkit/temp-workspace';

const PACKAGE_DIR = join(REPO, 'tools', 'imagesmith');
const tmp = mkdtempSync(join(tmpdir(), 'imagesmith-npm-package-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The environment of a workspace that has nothing of this repository around it. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env))
    if (key === 'NODE_PATH' || key === 'NODE_OPTIONS' || key.startsWith('IMAGESMITH_'))
      delete env[key];
  return env;
}

function run(command: string, args: string[], options: SpawnSyncOptions) {
  const r = spawnSync(command, args, { encoding: 'utf8', env: cleanEnv(), ...options });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

let tarball = '';
let files: string[] = [];

beforeAll(() => {
  const packed = run('npm', ['pack', '--pack-destination', tmp], { cwd: PACKAGE_DIR });
  expect(packed.status, packed.stderr).toBe(0);
  tarball = join(tmp, packed.stdout.trim().split('\n').pop()!);
  const listed = run('tar', ['-tzf', tarball], { cwd: tmp });
  expect(listed.status, listed.stderr).toBe(0);
  files = listed.stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}, 180_000);

describe('the npm package (npm pack in tools/imagesmith)', () => {
  it('holds the prebuilt bundles, the bin, generators.json, executors.json and their schemas', () => {
    for (const f of [
      'package.json',
      'bin/imagesmith.cjs',
      'plugin.cjs',
      'generators.cjs',
      'sync.cjs',
      'executors.cjs',
      'bundle.cjs',
      'dist/cli.cjs',
      'dist/plugin.cjs',
      'dist/generators.cjs',
      'dist/sync.cjs',
      'dist/executors.cjs',
      'generators.json',
      'executors.json',
      'src/generators/init/schema.json',
      'src/executors/engine/schema.json',
      '.hadolint.yaml',
    ])
      expect(files).toContain(f);
  });

  it('holds the built-in profiles, templates and schemas under assets/', () => {
    for (const f of [
      'assets/profiles/cpu/profile.yaml',
      'assets/profiles/cuda12/profile.yaml',
      'assets/profiles/neuron-inf1/profile.yaml',
      'assets/profiles/cpu/lifecycle.yaml',
      'assets/templates/python-base/from.hbs',
      'assets/templates/python-base/runtime.hbs',
      'assets/schemas/workspace-config.schema.json',
      'assets/schemas/image.schema.json',
      'assets/schemas/lifecycle.schema.json',
    ])
      expect(files).toContain(f);
  });

  it('holds no TypeScript sources, tests or test support', () => {
    expect(files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(test|test-support|testkit)\/|\.test\./.test(f))).toEqual([]);
  });

  it('holds every file its package.json, generators.json and executors.json name', () => {
    const extract = join(tmp, 'extracted');
    run('mkdir', ['-p', extract], {});
    expect(run('tar', ['-xzf', tarball, '-C', extract], {}).status).toBe(0);
    const pkgDir = join(extract, 'package');
    const json = (f: string) => JSON.parse(readFileSync(join(pkgDir, f), 'utf8'));
    const pkg = json('package.json');
    expect(pkg.private).toBeUndefined();
    const named = [
      pkg.main,
      ...Object.values(pkg.bin as Record<string, string>),
      ...Object.values(
        json('generators.json').generators as Record<string, { factory: string; schema: string }>,
      ).flatMap((g) => [g.factory.split('#')[0]!, g.schema]),
      ...Object.values(
        json('executors.json').executors as Record<
          string,
          { implementation: string; schema: string }
        >,
      ).flatMap((e) => [e.implementation.split('#')[0]!, e.schema]),
    ];
    for (const f of named) expect(existsSync(join(pkgDir, f)), f).toBe(true);
  });

  it('installed with npm into an empty folder, runs `imagesmith --help` and loads the plugin and generators', () => {
    const consumer = join(tmp, 'consumer');
    run('mkdir', ['-p', consumer], {});
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
    const installed = run(
      'npm',
      ['install', '--prefix', consumer, '--no-audit', '--no-fund', '--ignore-scripts', tarball],
      { cwd: consumer },
    );
    expect(installed.status, installed.stderr).toBe(0);
    const pkgDir = join(consumer, 'node_modules', '@imagesmith', 'nx-plugin');
    expect(existsSync(join(pkgDir, 'src', 'cli', 'main.ts'))).toBe(false);

    const help = run('node', [join(consumer, 'node_modules', '.bin', 'imagesmith'), '--help'], {
      cwd: consumer,
    });
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: imagesmith <command>/);
    expect(help.stdout).toContain('login');

    const loginHelp = run('node', [join(pkgDir, 'bin', 'imagesmith.cjs'), 'login', '--help'], {
      cwd: consumer,
    });
    expect(loginHelp.status, loginHelp.stderr).toBe(0);
    expect(loginHelp.stdout).toContain('login');

    const loaded = run(
      'node',
      [
        '-e',
        `const p = require('@imagesmith/nx-plugin');
         const g = require('@imagesmith/nx-plugin/generators.cjs');
         const s = require('@imagesmith/nx-plugin/sync.cjs');
         const e = require('@imagesmith/nx-plugin/executors.cjs');
         console.log(JSON.stringify([Array.isArray(p.createNodes ?? p.createNodesV2), typeof g.initGenerator, typeof g.imageGenerator, typeof s.syncImagesGenerator, typeof e.engineExecutor]));`,
      ],
      { cwd: consumer },
    );
    expect(loaded.status, loaded.stderr).toBe(0);
    expect(JSON.parse(loaded.stdout)).toEqual([
      true,
      'function',
      'function',
      'function',
      'function',
    ]);
  }, 300_000);
});
