/**
 * Shared set-up for the engine benchmarks: an image tree in a temp git workspace, driven through
 * the real Nx CLI (with Nx's defaults: plugin isolation on, no daemon as in CI) and
 * /usr/bin/docker. Two trees: the end-to-end fixture (a cpu base with two locked packages, its
 * child, a cuda12 image on a stand-in base) and a realistic scientific one (numpy, pandas and
 * scikit-learn locked from PyPI, and a child with one small extra package).
 * Needs: bash tools/setup.sh --engine.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NX_ENV, REPO, writeFile } from '../testkit/temp-workspace';
import { createBenchWorkspace } from './bench-workspace';

export const REGISTRY = process.env.IMAGESMITH_TEST_REGISTRY ?? '127.0.0.1:5000';
export const DOCKER = '/usr/bin/docker';

export const IMAGES: Record<string, string> = {
  base: 'description: cpu base\nprofile: cpu\npython: "3.11"\nsystem_packages: [curl, git]\npython_packages: { six: "1.16.0", idna: "3.7" }\ntests:\n  imports: { six: "1.16", idna: "3.7" }\n  files: { exist: [/usr/bin/git] }\n  commands:\n    - { name: python runs, run: "python -c \\"print(1)\\"", output: "^1$" }\n',
  child:
    'description: child\nprofile: cpu\nbase: base\ncommands: ["mkdir -p /data"]\ntests:\n  files: { exist: [/data] }\n',
  gpu: 'description: cuda\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.11"\ntests:\n  commands:\n    - { name: python 3.11, run: "python --version", output: "3\\\\.11" }\n',
};
export const ORDER = ['base', 'child', 'gpu'];

/** An image tree: specs, build order (parents first), catalogue parents and the leaf CI changes. */
export interface Tree {
  images: Record<string, string>;
  order: string[];
  parents: Record<string, string>;
  leaf: string;
}

export const SMALL: Tree = {
  images: IMAGES,
  order: ORDER,
  parents: { child: 'base' },
  leaf: 'child',
};

/** About 40 s of cold build for the parent: numpy, pandas, scikit-learn (and scipy) wheels. */
export const SCIENTIFIC: Tree = {
  images: {
    sci: 'description: scientific Python\nprofile: cpu\npython: "3.11"\npython_packages: { numpy: "^1.26", pandas: "^2.2", scikit-learn: "^1.5" }\ntests:\n  imports: { numpy: "", pandas: "", sklearn: "" }\n',
    'sci-child':
      'description: scientific Python plus a table printer\nprofile: cpu\nbase: sci\npython_packages: { tabulate: "^0.9" }\ntests:\n  imports: { tabulate: "0.9" }\n',
  },
  order: ['sci', 'sci-child'],
  parents: { 'sci-child': 'sci' },
  leaf: 'sci-child',
};

export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, docker ${execFileSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()}`;
}

export function createFixture(tag: string, tree: Tree = SMALL): { root: string; repo: string } {
  const repo = `${REGISTRY}/bench-${tag}-${Date.now()}`;
  const root = createBenchWorkspace(tree.images, {
    'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }),
  });
  privateNodeModules(root);
  return { root, repo };
}

/**
 * Replace the workspace's node_modules link by a folder of links to the repo's packages: the CLI
 * keeps its bundle under node_modules/.cache keyed by absolute paths, so a shared node_modules
 * would rebuild the checkout's bundle under the feet of whoever runs there.
 */
function privateNodeModules(root: string): void {
  const dir = join(root, 'node_modules');
  rmSync(dir, { force: true });
  mkdirSync(dir);
  for (const entry of readdirSync(join(REPO, 'node_modules'))) {
    if (entry === '.cache' || entry === '@imagesmith') continue;
    symlinkSync(join(REPO, 'node_modules', entry), join(dir, entry));
  }
  // Relative links (../../libs/core): they point into the temp workspace.
  cpSync(join(REPO, 'node_modules', '@imagesmith'), join(dir, '@imagesmith'), {
    recursive: true,
    verbatimSymlinks: true,
  });
}

export function nx(root: string, ...args: string[]): string {
  return execFileSync(join(REPO, 'node_modules', '.bin', 'nx'), [...args, '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: NX_ENV,
    maxBuffer: 256 * 1024 * 1024,
  });
}

/** The one-process CLI of the workspace (renders without Nx: `generate --all`, `lock NAME`). */
export function cli(root: string, ...args: string[]): string {
  return execFileSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: NX_ENV,
    maxBuffer: 256 * 1024 * 1024,
  });
}

export function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, {
    encoding: 'utf8',
    // BuildKit's progress goes to stderr: keep it out of the report (an error still shows it).
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
  });
}

export function timed<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const r = fn();
  return [r, (performance.now() - t) / 1000];
}

/** Remove the fixture's images from the engine and the whole BuildKit cache: a CI runner with no layer cache. */
export function pruneEngine(repo: string): void {
  const refs = docker('images', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter((r) => r.startsWith(repo) || r.startsWith('makefile/'));
  if (refs.length > 0) docker('rmi', '-f', ...refs);
  docker('builder', 'prune', '-af');
}

export function touchLeaf(root: string, value: string, tree: Tree = SMALL): void {
  writeFile(
    root,
    `images/${tree.leaf}/image.yaml`,
    `${tree.images[tree.leaf]}env: { BENCH: "${value}" }\n`,
  );
}

/** The Makefile way: `docker build` of every image in order, each tagged for the next one's FROM. */
export function makefileBuildAll(
  root: string,
  repo: string,
  cacheFrom: boolean,
  tree: Tree = SMALL,
): void {
  for (const image of tree.order) {
    const parent = tree.parents[image] ? `makefile/${tree.parents[image]}:latest-build` : undefined;
    const args = [
      'build',
      '--network',
      'host',
      '-f',
      join(root, 'images', image, 'Dockerfile'),
      '--target',
      'production',
      '-t',
      `makefile/${image}:latest-build`,
    ];
    if (parent) args.push('--build-arg', `BASE_IMAGE=${parent}`);
    else args.push('--build-arg', `BASE_IMAGE=${externalBase(root, image)}`);
    // The same proxy CA secret imagesmith passes: without it pip cannot reach the index here.
    const ca = process.env.IMAGESMITH_CA_BUNDLE ?? process.env.PIP_CERT;
    if (ca) args.push('--secret', `id=ca-bundle,src=${ca}`);
    if (cacheFrom)
      args.push('--build-arg', 'BUILDKIT_INLINE_CACHE=1', '--cache-from', `${repo}/${image}:1.0`);
    args.push(join(root, 'images', image));
    docker(...args);
  }
}

function externalBase(root: string, image: string): string {
  const text = execFileSync(
    'sed',
    ['-n', 's/^ARG BASE_IMAGE=//p', join(root, 'images', image, 'Dockerfile')],
    { encoding: 'utf8' },
  ).trim();
  const path = text.includes('/') ? text : `library/${text}`;
  return `${REGISTRY}/${path}`;
}
