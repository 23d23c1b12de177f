/**
 * The workspace of the fault e2e tests (issue #11 item 8): small cpu images on the stand-in base,
 * the real CLI run asynchronously (so a test can kill an engine meanwhile), the engine's own build
 * events, and cleanup of every local tag under the run's repository on both engines.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import {
  type BuildEngine,
  engineBuildsDuring,
  FIRST_ENGINE,
} from '../../tools/testkit/engine-builds';
import { REGISTRY } from './engine-env';
import { registryWorkspace } from './registry-workspace';
import { removeWorkspace } from '../../tools/testkit/temp-workspace';

const DOCKER = '/usr/bin/docker';

export interface FaultWorkspace {
  root: string;
  repo: string;
  need(ctx: TestContext): void;
  cli(args: string[], env?: Record<string, string>): Promise<{ code: number; out: string }>;
  /** The CLI, and the variants the engine (the first one, or a second engine's `builds`) built meanwhile. */
  cliBuilds(
    args: string[],
    env?: Record<string, string>,
    engine?: BuildEngine,
  ): Promise<{ code: number; out: string; built: string[] }>;
  docker(...args: string[]): string;
  metaFile(image: string): string;
  meta(image: string): {
    reference: string;
    contentHash: string;
    result: string;
    tags: string[];
    imageId?: string;
  };
  /** Local tags under the run's repository (on the engine `docker` is bound to). */
  localTags(docker?: string): string[];
}

export function useFaultWorkspace(name: string, images: Record<string, string>): FaultWorkspace {
  let skip = '';
  const docker = (bin: string, ...args: string[]) =>
    execFileSync(bin, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const w: FaultWorkspace = {
    root: '',
    repo: `${REGISTRY}/${name}-${process.pid}-${Date.now()}`,
    need: (ctx) => {
      if (skip) ctx.skip(skip);
    },
    cli: async (args, env = {}) => {
      try {
        const { stdout, stderr } = await promisify(execFile)(
          'node',
          [join(w.root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args],
          {
            cwd: w.root,
            encoding: 'utf8',
            env: { ...process.env, IMAGESMITH_ENGINE: 'docker', ...env },
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        return { code: 0, out: `${stdout}${stderr}` };
      } catch (error) {
        const e = error as { code: number; stdout?: string; stderr?: string };
        return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
    cliBuilds: async (args, env = {}, engine = FIRST_ENGINE) => {
      const { result, builds } = await engineBuildsDuring(w.repo, () => w.cli(args, env), engine);
      return { ...result, built: builds.map((b) => b.image) };
    },
    docker: (...args) => docker(DOCKER, ...args),
    metaFile: (image) => join(w.root, `images/${image}/.imagesmith/build-production.json`),
    meta: (image) => JSON.parse(readFileSync(w.metaFile(image), 'utf8')),
    localTags: (bin = DOCKER) =>
      docker(bin, 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
        .split('\n')
        // Untagged images (a tag moved off them) list as <repo>:<none>: not a reference.
        .filter((r) => r.startsWith(`${w.repo}/`) && !r.endsWith(':<none>')),
  };
  beforeAll(async () => {
    const got = await registryWorkspace(images, w.repo);
    if ('skip' in got) skip = got.skip;
    else w.root = got.root;
  }, 120_000);
  afterAll(() => {
    // By tag, never by id: a test tags other images (the stand-in base) into its repository, and
    // removing by id would delete their other tags too. Untagged leftovers list as <repo>:<none>.
    try {
      const tags = w.root ? w.localTags() : [];
      if (tags.length) w.docker('rmi', '-f', ...tags);
    } finally {
      // The workspace goes even when the engine cleanup fails.
      if (w.root) removeWorkspace(w.root);
    }
  });
  return w;
}

/** Pids whose command line is exactly `argv` (e.g. a uniquely long `sleep` inside a build). */
export function pidsRunning(argv: string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8') === want) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
