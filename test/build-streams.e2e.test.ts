/**
 * Build output under Nx as it goes (issue #16), with the real Nx CLI and docker engine: a build
 * whose step takes 25 s shows its progress lines while it runs (the batch executor streams them;
 * the shipped workflow's --outputStyle=stream-without-prefixes passes them on), and Nx's own
 * project prefix (--outputStyle=stream, unbatched) leaves one image name before each line, not two.
 * Skips with the reason outside CI when docker or the registry is missing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import {
  createTempWorkspace,
  NX_ENV,
  REPO,
  removeWorkspace,
} from '../tools/testkit/temp-workspace';

const IMAGE = 'slowstream';
// A sleep no earlier build ran: BuildKit cannot answer the step from its cache.
const SLEEP = `sleep 25.${String(process.pid).padStart(7, '0')}`;
const repo = `${REGISTRY}/e2e-stream-${process.pid}-${Date.now()}`;
let root = '';
let skip = '';

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(
    {
      [IMAGE]: `description: slow build\nprofile: cpu\npython: "3.11"\nversion: "1.0"\ncommands: ["${SLEEP}"]\n`,
    },
    { 'imagesmith.json': JSON.stringify({ repository: repo, mirrors: { registry: REGISTRY } }) },
  );
}, 120_000);

afterAll(() => {
  try {
    const tags = execFileSync(
      '/usr/bin/docker',
      ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'],
      {
        encoding: 'utf8',
      },
    )
      .split('\n')
      .filter((t) => t.startsWith(`${repo}/`) && !t.endsWith(':<none>'));
    if (tags.length) execFileSync('/usr/bin/docker', ['rmi', '-f', ...tags], { stdio: 'ignore' });
  } finally {
    if (root) removeWorkspace(root);
  }
});

/** Runs Nx, noting when each line of its output arrived (ms after the start) and when it ended. */
function nxTimed(
  args: string[],
): Promise<{ code: number; lines: { at: number; text: string }[]; endedAt: number }> {
  const started = Date.now();
  const lines: { at: number; text: string }[] = [];
  const child = spawn(join(REPO, 'node_modules/.bin/nx'), args, {
    cwd: root,
    env: { ...NX_ENV, IMAGESMITH_ENGINE: 'docker' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let rest = '';
  const take = (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    for (const text of parts) lines.push({ at: Date.now() - started, text });
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      if (rest) lines.push({ at: Date.now() - started, text: rest });
      resolve({ code: code ?? 1, lines, endedAt: Date.now() - started });
    }),
  );
}

const need = (ctx: TestContext) => {
  if (skip) ctx.skip(skip);
};

describe('a long build under Nx', () => {
  it('shows its progress while it runs, with the image named once', async (ctx) => {
    need(ctx);
    const r = await nxTimed([
      'run',
      `${IMAGE}:build`,
      '--outputStyle=stream-without-prefixes',
      '--skipNxCache',
    ]);
    const out = r.lines.map((l) => l.text).join('\n');
    expect(r.code, out).toBe(0);
    const progress = r.lines.find((l) => l.text.startsWith(`${IMAGE}: building (`));
    expect(progress, out).toBeDefined();
    // Seen while the 25 s step still ran, not printed with the result at the end.
    expect(r.endedAt - progress!.at, out).toBeGreaterThan(5_000);
    expect(out).toMatch(new RegExp(`^${IMAGE}: built ${repo}/${IMAGE}:ch-`, 'm'));
    expect(out).not.toContain(`${IMAGE}: ${IMAGE}:`);
  }, 600_000);

  it('names the image once where Nx puts the project before each line (stream, unbatched)', async (ctx) => {
    need(ctx);
    const r = await nxTimed([
      'run',
      `${IMAGE}:build`,
      '--outputStyle=stream',
      '--batch=false',
      '--skipNxCache',
    ]);
    const out = r.lines.map((l) => l.text).join('\n');
    expect(r.code, out).toBe(0);
    expect(out).toMatch(new RegExp(`^${IMAGE}: already built \\(found locally: `, 'm'));
    expect(out).not.toContain(`${IMAGE}: ${IMAGE}:`);
  }, 300_000);
});
