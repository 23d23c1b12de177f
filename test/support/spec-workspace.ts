import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { lstatSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import { TABLE_END, TABLE_START } from '@imagesmith/core';
import { run } from '../../tools/imagesmith/src/cli/main';

const REPO = join(__dirname, '..', '..');

/**
 * A throwaway workspace with this repo's profiles and templates, an images/README.md with an empty
 * catalogue table and the given specs: enough for `imagesmith generate`, run in-process (no Nx, no git).
 */
export function specWorkspace(images: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'imagesmith-spec-'));
  for (const dir of ['profiles', 'templates'])
    cpSync(join(REPO, dir), join(root, dir), {
      recursive: true,
      filter: (src) => !src.endsWith('.test.ts'),
    });
  for (const [name, text] of Object.entries(images)) writeSpec(root, name, text);
  mkdirSync(join(root, 'images'), { recursive: true });
  writeFileSync(join(root, 'images/README.md'), `# fixture\n\n${TABLE_START}\n${TABLE_END}\n`);
  return root;
}

export function writeSpec(root: string, name: string, text: string): void {
  const file = join(root, 'images', name, 'image.yaml');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The CLI in this process: its exit code and what it printed. */
export async function cli(
  root: string,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    const code = await run(argv, root);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/**
 * Every file and link under `dir` (links not followed) with a hash of its content or target,
 * except paths for which `skip` (workspace-relative) is true.
 */
export function treeHashes(
  dir: string,
  skip: (path: string) => boolean = () => false,
): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (skip(path)) continue;
      const abs = join(dir, path);
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.set(path, `link:${readlinkSync(abs)}`);
      else if (st.isDirectory()) walk(path);
      else out.set(path, createHash('sha256').update(readFileSync(abs)).digest('hex'));
    }
  };
  walk('');
  return out;
}
