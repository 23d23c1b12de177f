/**
 * Shared set-up for the engine benchmarks: the end-to-end fixture (a cpu base with a locked
 * package, its child, a cuda12 image on stand-in bases) in a temp git workspace, driven through
 * the real Nx CLI and /usr/bin/docker. Needs: bash tools/setup.sh --engine.
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createTempWorkspace, NX_ENV, REPO, writeFile } from '../../test/support/temp-workspace';

export const REGISTRY = process.env.IMAGESMITH_TEST_REGISTRY ?? '127.0.0.1:5000';
export const DOCKER = '/usr/bin/docker';

export const IMAGES: Record<string, string> = {
  base: 'description: cpu base\nprofile: cpu\npython: "3.11"\nsystem_packages: [curl, git]\npython_packages: { six: "1.16.0", idna: "3.7" }\ntests:\n  imports: { six: "1.16", idna: "3.7" }\n  files: { exist: [/usr/bin/git] }\n  commands:\n    - { name: python runs, run: "python -c \\"print(1)\\"", output: "^1$" }\n',
  child:
    'description: child\nprofile: cpu\nbase: base\ncommands: ["mkdir -p /data"]\ntests:\n  files: { exist: [/data] }\n',
  gpu: 'description: cuda\nprofile: cuda12\nprofile_options: { cuda: "12.1" }\npython: "3.11"\ntests:\n  commands:\n    - { name: python 3.11, run: "python --version", output: "3\\\\.11" }\n',
};
export const ORDER = ['base', 'child', 'gpu'];

export function machine(): string {
  return `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, docker ${execFileSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).trim()}`;
}

export function createFixture(tag: string): { root: string; repo: string } {
  const repo = `${REGISTRY}/bench-${tag}-${Date.now()}`;
  const root = createTempWorkspace(IMAGES, {
    'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }),
  });
  return { root, repo };
}

export function nx(root: string, ...args: string[]): string {
  return execFileSync(join(REPO, 'node_modules', '.bin', 'nx'), [...args, '--outputStyle=static'], {
    cwd: root,
    encoding: 'utf8',
    env: NX_ENV as NodeJS.ProcessEnv,
    maxBuffer: 256 * 1024 * 1024,
  });
}

export function docker(...args: string[]): string {
  return execFileSync(DOCKER, args, {
    encoding: 'utf8',
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

export function touchLeaf(root: string, value: string): void {
  writeFile(root, 'images/child/image.yaml', `${IMAGES.child}env: { BENCH: "${value}" }\n`);
}

/** The Makefile way: `docker build` of every image in order, each tagged for the next one's FROM. */
export function makefileBuildAll(root: string, repo: string, cacheFrom: boolean): void {
  for (const image of ORDER) {
    const parent = image === 'child' ? 'makefile/base:latest-build' : undefined;
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
