/**
 * A team's own Nx workspace with nothing of this repository in it: a minimal package.json and
 * nx.json, Nx installed from the npm registry (the version this repository uses; npm's cache makes
 * it quick), and the tool only ever from the tarball `npm pack` makes of tools/imagesmith.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { NX_ENV, REPO } from '../../tools/testkit/temp-workspace';

export const TOOL_DIR = join(REPO, 'tools', 'imagesmith');
export const TOOL_PACKAGE = '@imagesmith/nx-plugin';

/** The Nx version this repository runs (what a team adopting the tool would have). */
export const NX_VERSION = (
  JSON.parse(readFileSync(join(REPO, 'node_modules', 'nx', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

export interface Ran {
  code: number;
  out: string;
}

/** npm without its audit/fund chatter, from its cache first (the registry for what it lacks). */
const NPM_ENV = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};

/** Run a command; its exit code and its stdout and stderr together. */
export function runIn(
  cwd: string,
  file: string,
  args: string[],
  env: Record<string, string | undefined> = {},
): Ran {
  const r = spawnSync(file, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...NX_ENV, ...NPM_ENV, ...env } as NodeJS.ProcessEnv,
  });
  const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${String(r.error)}` : ''}`;
  return { code: r.status ?? -1, out };
}

function mustRun(cwd: string, file: string, args: string[]): string {
  const r = runIn(cwd, file, args);
  if (r.code !== 0)
    throw new Error(`${file} ${args.join(' ')} failed (${r.code}) in ${cwd}:\n${r.out}`);
  return r.out;
}

/**
 * `npm pack` of tools/imagesmith into a new temporary folder (its prepack builds the bundles and
 * copies the built-in profiles and templates in); the tarball's path.
 */
export function packTool(): string {
  const dest = mkdtempSync(join(tmpdir(), 'imagesmith-pack-'));
  mustRun(TOOL_DIR, 'npm', ['pack', '--pack-destination', dest]);
  const [tarball, ...more] = readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  if (!tarball || more.length)
    throw new Error(`npm pack left no single tarball in ${dest}: ${readdirSync(dest).join(', ')}`);
  return join(dest, tarball);
}

/** A new workspace: package.json and nx.json only, Nx installed, a git repository (no commit yet). */
export function freshWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-adopt-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  write(
    'package.json',
    json({
      name: 'acme-images',
      version: '0.0.0',
      private: true,
      devDependencies: { nx: NX_VERSION },
    }),
  );
  write(
    'nx.json',
    json({
      $schema: './node_modules/nx/schemas/nx-schema.json',
      neverConnectToCloud: true,
      analytics: false,
      defaultBase: 'main',
    }),
  );
  write('.gitignore', 'node_modules\n.nx\n');
  mustRun(root, 'npm', ['install']);
  mustRun(root, 'git', ['init', '-q', '-b', 'main']);
  return root;
}

/** Commit everything in the workspace; the new commit's SHA. */
export function commitAll(root: string, message: string): string {
  mustRun(root, 'git', ['add', '-A']);
  mustRun(root, 'git', [
    '-c',
    'user.email=t@example.com',
    '-c',
    'user.name=t',
    'commit',
    '-qm',
    message,
  ]);
  return mustRun(root, 'git', ['rev-parse', 'HEAD']).trim();
}
