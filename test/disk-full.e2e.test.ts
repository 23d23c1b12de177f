/**
 * A full disk is the machine's state, not a bug (issue 16): the real CLI regenerates an image whose
 * folder is a tiny tmpfs filled to the last byte. It exits 1 naming the file it could not write and
 * what to do (never 70, "internal error"), and the image's files are as they were, with no temp
 * file beside them. Needs root to mount the tmpfs (skips with the reason otherwise; fails in CI).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const IMAGE = `description: disk full fixture
profile: cpu
python: "3.11"
version: "1.0"
`;

let root = '';
let folder = '';
let saved = '';
let mounted = false;
let skip = '';

/** Write zeros until the filesystem refuses: ENOSPC from here on. */
function fill(dir: string): void {
  try {
    execFileSync('sh', ['-c', `cat /dev/zero > '${join(dir, '.filler')}'`], { stdio: 'ignore' });
  } catch {
    // ENOSPC: full, as wanted
  }
}

beforeAll(() => {
  root = createTempWorkspace({ full: IMAGE });
  folder = join(root, 'images', 'full');
  saved = mkdtempSync(join(tmpdir(), 'imagesmith-full-'));
  cpSync(folder, saved, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', folder], {
      stdio: 'ignore',
    });
    mounted = true;
  } catch {
    if (process.env.CI === 'true') throw new Error('CI=true and mounting a tmpfs failed (root?)');
    skip = 'mounting a tmpfs needs root';
    return;
  }
  cpSync(saved, folder, { recursive: true });
  // A new description changes the generated files, so generate must write them.
  writeFileSync(join(folder, 'image.yaml'), IMAGE.replace('disk full fixture', 'changed'));
  fill(folder);
}, 120_000);

afterAll(() => {
  if (mounted) execFileSync('umount', [folder]);
  if (saved) rmSync(saved, { recursive: true, force: true });
  if (root) removeWorkspace(root);
});

const need = (ctx: TestContext) => skip && ctx.skip(skip);

describe('generate on a full disk', () => {
  it('exits 1 naming the file and the fix, and leaves the old files byte for byte', (ctx) => {
    need(ctx);
    const before = Object.fromEntries(
      readdirSync(folder).map((f) => [f, readFileSync(join(folder, f), 'utf8').length]),
    );
    const r = spawnSync('node', ['tools/imagesmith/bin/imagesmith.cjs', 'generate', 'full'], {
      cwd: root,
      encoding: 'utf8',
    });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).toBe(1);
    expect(out).not.toMatch(/internal error/);
    expect(out).toMatch(
      /imagesmith: could not write \S*images\/full\/\S+: no space left on the device \(ENOSPC\); the previous file is unchanged\n {2}hint: free space on the filesystem that holds \S*images\/full \(`df -h \S+`\), then run the command again/,
    );
    for (const f of readdirSync(saved))
      if (f !== 'image.yaml')
        expect(readFileSync(join(folder, f), 'utf8'), f).toBe(readFileSync(join(saved, f), 'utf8'));
    expect(Object.keys(before).sort(), 'no temp file left beside them').toEqual(
      readdirSync(folder).sort(),
    );
  }, 120_000);
});
