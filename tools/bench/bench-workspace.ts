/**
 * Temp workspaces for the benchmarks (a copy of what test/support/temp-workspace.ts does, so the
 * benchmarks do not depend on the test support): the product's code, profiles and templates, the
 * given image specs, node_modules linked from the repo, committed with git.
 * The product is snapshotted once per process: by default the working tree as it is (uncommitted
 * edits included, named by a hash of `git diff HEAD`), with BENCH_SOURCE=head the committed tree.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPO = join(__dirname, '..', '..');

const COPY = [
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

const fromHead = process.env.BENCH_SOURCE === 'head';

/** What the workspaces are made from: the commit, and the uncommitted changes to the product. */
export function sourceRevision(): string {
  const run = (...a: string[]) => execFileSync('git', a, { cwd: REPO, encoding: 'utf8' }).trim();
  const head = run('rev-parse', '--short', 'HEAD');
  if (fromHead) return `${head} (committed tree)`;
  const files = run('diff', 'HEAD', '--name-only', '--', ...COPY)
    .split('\n')
    .filter(Boolean);
  const untracked = run('ls-files', '--others', '--exclude-standard', '--', ...COPY)
    .split('\n')
    .filter(Boolean);
  if (files.length + untracked.length === 0) return `${head} (clean)`;
  const hash = createHash('sha256')
    .update(run('diff', 'HEAD', '--', ...COPY))
    .update(untracked.join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `${head} + working tree (${files.length} changed, ${untracked.length} untracked files under ${COPY.filter((c) => !c.includes('.')).join(', ')}; diff ${hash})`;
}

let snapshot: string | undefined;
/** The product's files, copied once per process (so a long run measures one version). */
function productSnapshot(): string {
  if (snapshot) return snapshot;
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-bench-src-'));
  const list = COPY.join(' ');
  const script = fromHead
    ? `git -C "${REPO}" archive HEAD ${list} | tar -C "${dir}" -xf -`
    : `tar -C "${REPO}" --exclude=node_modules -cf - ${list} | tar -C "${dir}" -xf -`;
  execFileSync('bash', ['-c', script]);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (snapshot = dir);
}

export function createTempWorkspace(
  images: Record<string, string>,
  extraFiles: Record<string, string> = {},
): string {
  const src = productSnapshot();
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-bench-ws-'));
  for (const entry of COPY)
    cpSync(join(src, entry), join(root, entry), {
      recursive: true,
      filter: (p) => !p.includes('node_modules'),
    });
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  for (const [name, text] of Object.entries(images))
    writeFile(root, `images/${name}/image.yaml`, text);
  writeFile(root, 'README.md', '# fixture\n');
  writeFile(root, '.gitignore', 'node_modules\n.nx\n');
  for (const [path, text] of Object.entries(extraFiles)) writeFile(root, path, text);
  // Like a real repository, the generated files are committed with their specs.
  try {
    execFileSync('node', [join(root, 'tools/imagesmith/bin/imagesmith.cjs'), 'generate', '--all'], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    /* invalid specs: nothing generated */
  }
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '-A');
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

export function commit(root: string, message: string): void {
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', message);
}

// Nx as CI runs it: plugin isolation on (Nx's default), no daemon, CI=true (so Nx does not sync
// before tasks; imagesmith then refuses stale generated files itself).
export const NX_ENV: NodeJS.ProcessEnv = (() => {
  const env: Record<string, string | undefined> = {
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
  return env as NodeJS.ProcessEnv;
})();
