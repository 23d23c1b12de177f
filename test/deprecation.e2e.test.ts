import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempWorkspace, removeWorkspace, REPO } from '../tools/testkit/temp-workspace';

const CLI = join(REPO, 'tools/imagesmith/bin/imagesmith.cjs');
let root: string;

function cli(...args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync('node', [CLI, ...args], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return { code: 0, out };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { code: e.status, out: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(() => {
  root = createTempWorkspace({
    old: 'description: old\nprofile: cpu\npython: "3.11"\ndeprecated: { since: "2024-07", use_instead: fresh, reason: heavier }\n',
    fresh: 'description: fresh\nprofile: cpu\npython: "3.11"\n',
    child: 'description: child\nprofile: cpu\nbase: old\n',
  });
});
afterAll(() => removeWorkspace(root));

describe('a deprecated image', () => {
  it('warns when generating a child, naming the deprecated parent and what to use', () => {
    const r = cli('generate', 'child');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'warning: child is based on old, which is deprecated since 2024-07: use fresh (heavier)',
    );
    expect(r.out).not.toMatch(/fresh is/);
  });

  it('warns for the image itself, labels it, and writes its README', () => {
    const r = cli('generate', '--all');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning: old is deprecated since 2024-07: use fresh (heavier)');
    expect(readFileSync(join(root, 'images/old/Dockerfile'), 'utf8')).toMatch(
      /dev\.imagesmith\.deprecated=.*since 2024-07: use fresh \(heavier\)/,
    );
    expect(readFileSync(join(root, 'images/old/README.md'), 'utf8')).toContain(
      '> **Deprecated:** old is deprecated since 2024-07',
    );
    expect(cli('generate', '--all', '--check').code).toBe(0);
  });
});
