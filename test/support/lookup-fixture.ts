/**
 * The workspace of the registry-lookup e2e tests: one small cpu image on the stand-in base, its
 * own docker config (DOCKER_CONFIG: logins stay in the test), the CLI run asynchronously (fake
 * registries answer from the test process meanwhile), and cleanup of every local tag it made.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './engine-env';
import { createTempWorkspace, removeWorkspace } from '../../tools/testkit/temp-workspace';

const DOCKER = '/usr/bin/docker';
export const IMAGE = 'h3lookup';
const SPEC = `description: registry lookup e2e
profile: cpu
python: "3.11"
version: "1.0"
tests:
  commands:
    - name: python runs
      run: python -c "print(6*7)"
      output: "^42$"
`;

export interface LookupWorkspace {
  /** Unique per run: the namespace under every registry the tests use. */
  run: string;
  root: string;
  /** A scratch folder removed afterwards. */
  dir: string;
  dockerConfig: string;
  /** Everything the CLI printed (for the no-password-in-logs check). */
  logs: string[];
  need(ctx: TestContext): void;
  cli(args: string[], env?: Record<string, string>, input?: string): Promise<CliResult>;
  docker(...args: string[]): string;
  /** What build recorded for the image. */
  meta(): { reference: string; result: string };
  /** Removes every local tag under `<registry>/<run>/`. */
  removeLocal(registry: string): void;
}

export interface CliResult {
  code: number;
  out: string;
}

function missingTool(tools: string[]): string | undefined {
  for (const tool of tools) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed (bash .ci/setup-engine.sh installs apache2-utils, .ci/setup-registry.sh docker-registry)`;
    }
  }
  return undefined;
}

/**
 * beforeAll/afterAll for a fresh workspace whose repository is `<registry()>/<run>`; `registry`
 * is asked at beforeAll, after `setup` (e.g. starting a registry) ran.
 */
export function useLookupWorkspace(opts: {
  tools?: string[];
  setup?: (w: LookupWorkspace) => Promise<void>;
  registry: () => string;
  teardown?: () => void;
}): LookupWorkspace {
  let skip = '';
  const used = new Set<string>();
  const w: LookupWorkspace = {
    run: `h3lookup-${process.pid}-${Date.now()}`,
    root: '',
    dir: '',
    dockerConfig: '',
    logs: [],
    need: (ctx) => {
      if (skip) ctx.skip(skip);
    },
    cli: async (args, env = {}, input) => {
      if (env.IMAGESMITH_REPOSITORY) used.add(env.IMAGESMITH_REPOSITORY);
      const child = promisify(execFile)(
        'node',
        [join(w.root, 'tools/imagesmith/bin/imagesmith.cjs'), ...args],
        {
          cwd: w.root,
          encoding: 'utf8',
          env: {
            ...process.env,
            DOCKER_CONFIG: w.dockerConfig,
            // buildah/podman's store too: a login never lands in the machine's own.
            REGISTRY_AUTH_FILE: join(w.dockerConfig, 'auth.json'),
            IMAGESMITH_ENGINE: 'docker',
            ...env,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      if (input !== undefined) child.child.stdin!.end(input);
      try {
        const { stdout, stderr } = await child;
        w.logs.push(stdout, stderr);
        return { code: 0, out: `${stdout}${stderr}` };
      } catch (error) {
        const e = error as { code: number; stdout?: string; stderr?: string };
        w.logs.push(e.stdout ?? '', e.stderr ?? '');
        return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
      }
    },
    docker: (...args) => execFileSync(DOCKER, args, { encoding: 'utf8' }),
    meta: () =>
      JSON.parse(
        readFileSync(join(w.root, `images/${IMAGE}/.imagesmith/build-production.json`), 'utf8'),
      ) as { reference: string; result: string },
    removeLocal: (registry) => {
      const prefix = `${registry}/${w.run}/`;
      const refs = w
        .docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
        .split('\n')
        .filter((r) => r.startsWith(prefix));
      if (refs.length) w.docker('rmi', ...refs);
    },
  };
  beforeAll(async () => {
    const got = await requireEngineAndRegistry();
    const missing = 'skip' in got ? got.skip : missingTool(opts.tools ?? []);
    if (missing) {
      if (/^(1|true|yes)$/i.test(process.env.CI ?? ''))
        throw new Error(`CI=true and ${missing} (nothing may skip in CI)`);
      skip = missing;
      return;
    }
    w.dir = mkdtempSync(join(tmpdir(), 'imagesmith-h3lookup-'));
    w.dockerConfig = join(w.dir, 'docker-config');
    await opts.setup?.(w);
    const repository = `${opts.registry()}/${w.run}`;
    used.add(repository);
    w.root = createTempWorkspace(
      { [IMAGE]: SPEC },
      { 'imagesmith.json': JSON.stringify({ repository, mirrors: { registry: REGISTRY } }) },
    );
  }, 120_000);
  afterAll(() => {
    if (w.root) for (const repo of used) w.removeLocal(repo.slice(0, -w.run.length - 1));
    opts.teardown?.();
    if (w.root) removeWorkspace(w.root);
    if (w.dir) rmSync(w.dir, { recursive: true, force: true });
  });
  return w;
}
