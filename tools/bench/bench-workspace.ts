/**
 * Temp workspaces for the benchmarks (tools/testkit/temp-workspace.ts) made from a snapshot of the
 * product, taken once per process so that a long run measures one version: by default the working
 * tree as it is (uncommitted edits included, named by a hash of `git diff HEAD`), with
 * BENCH_SOURCE=head the committed tree.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTempWorkspace, REPO, WORKSPACE_FILES } from '../testkit/temp-workspace';

const fromHead = process.env.BENCH_SOURCE === 'head';

/** What the workspaces are made from: the commit, and the uncommitted changes to the product. */
export function sourceRevision(): string {
  const run = (...a: string[]) => execFileSync('git', a, { cwd: REPO, encoding: 'utf8' }).trim();
  const head = run('rev-parse', '--short', 'HEAD');
  if (fromHead) return `${head} (committed tree)`;
  const files = run('diff', 'HEAD', '--name-only', '--', ...WORKSPACE_FILES)
    .split('\n')
    .filter(Boolean);
  const untracked = run('ls-files', '--others', '--exclude-standard', '--', ...WORKSPACE_FILES)
    .split('\n')
    .filter(Boolean);
  if (files.length + untracked.length === 0) return `${head} (clean)`;
  const hash = createHash('sha256')
    .update(run('diff', 'HEAD', '--', ...WORKSPACE_FILES))
    .update(untracked.join('\n'))
    .digest('hex')
    .slice(0, 12);
  return `${head} + working tree (${files.length} changed, ${untracked.length} untracked files under ${WORKSPACE_FILES.filter((c) => !c.includes('.')).join(', ')}; diff ${hash})`;
}

let snapshot: string | undefined;
/** The product's files, copied once per process. */
function productSnapshot(): string {
  if (snapshot) return snapshot;
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-bench-src-'));
  const list = WORKSPACE_FILES.join(' ');
  const script = fromHead
    ? `git -C "${REPO}" archive HEAD ${list} | tar -C "${dir}" -xf -`
    : `tar -C "${REPO}" --exclude=node_modules -cf - ${list} | tar -C "${dir}" -xf -`;
  execFileSync('bash', ['-c', script]);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (snapshot = dir);
}

/** A temp workspace of the given specs, its product files from this process's snapshot. */
export function createBenchWorkspace(
  images: Record<string, string>,
  extraFiles: Record<string, string> = {},
): string {
  return createTempWorkspace(images, extraFiles, productSnapshot());
}
