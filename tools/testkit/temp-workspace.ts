/**
 * Throwaway git workspaces for the e2e tests and the benchmarks: this repo's code, profiles and
 * templates, the given image specs, node_modules linked from the repo, committed with git. Nx runs
 * in them offline, without a daemon.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export const REPO = join(__dirname, '..', '..');

/** What a workspace holds of the repo (besides node_modules, linked). */
export const WORKSPACE_FILES = [
  'package.json',
  'nx.json',
  '.prettierrc.json',
  '.prettierignore',
  'tsconfig.base.json',
  'tsconfig.json',
  'libs',
  'tools',
  'profiles',
  'templates',
];

/**
 * A workspace with the given specs and extra files. Its product files come from `from` (the repo
 * itself by default; the benchmarks pass a snapshot of it).
 */
export function createTempWorkspace(
  images: Record<string, string>,
  extraFiles: Record<string, string> = {},
  from: string = REPO,
): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-ws-'));
  for (const entry of WORKSPACE_FILES)
    cpSync(join(from, entry), join(root, entry), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  for (const [name, text] of Object.entries(images))
    writeFile(root, `images/${name}/image.yaml`, text);
  writeFile(root, 'README.md', '# fixture\n');
  writeFile(root, '.gitignore', 'node_modules\n.nx\n');
  for (const [path, text] of Object.entries(extraFiles)) writeFile(root, path, text);
  // Like a real repository, the generated files are committed with their specs. A fixture whose
  // specs are invalid on purpose is committed without them.
  try {
    execFileSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), 'generate', '--all'], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    /* invalid fixture specs: nothing generated */
  }
  git(root, 'init', '-q', '-b', 'main');
  commit(root, 'fixture');
  return root;
}

export function writeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8' });
}

/** Commit everything in the workspace. */
export function commit(root: string, message: string): void {
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', message);
}

export function removeWorkspace(root: string): void {
  // Its bundles live in the linked node_modules of this repo (see tools/imagesmith/bundle.cjs).
  const { bundleDir } = createRequire(join(REPO, 'package.json'))(
    './tools/imagesmith/bundle.cjs',
  ) as { bundleDir: (root: string) => string };
  rmSync(bundleDir(root), { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
}

// Nx as CI runs it: plugin isolation on (Nx's default), no daemon, CI=true (so Nx does not sync
// before tasks; imagesmith then refuses stale generated files itself).
export const NX_ENV: NodeJS.ProcessEnv = (() => {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    CI: 'true',
  };
  delete env.NX_ISOLATE_PLUGINS;
  delete env.NX_SKIP_NX_CACHE;
  return env;
})();

/** Run the real Nx CLI in a workspace; returns stdout (throws with output on failure). */
export function nx(root: string, ...args: string[]): string {
  try {
    return execFileSync(join(REPO, 'node_modules', '.bin', 'nx'), args, {
      cwd: root,
      encoding: 'utf8',
      env: NX_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`nx ${args.join(' ')} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}
