/**
 * Lock, build and validate through the real Nx CLI and the real engine (fixture: see
 * support/pipeline-fixture.ts): locked against PyPI with real Poetry, built parents first, each
 * image's contract run in it. Skips with the reason outside CI when there is no engine; fails in CI.
 * Push, manifest and the development container: image-publish.e2e.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER, IMAGES, linesFor, usePipeline } from './support/pipeline-fixture';
import { writeFile } from '../tools/testkit/temp-workspace';

const p = usePipeline('pipeline');
const ALL = ['base', 'child', 'gpu'];
const partition = (xs: string[], f: (x: string) => boolean): [string[], string[]] => [
  xs.filter(f),
  xs.filter((x) => !f(x)),
];

describe('image pipeline through Nx and a real engine', () => {
  it('locks the Python packages with real Poetry, parents first', (ctx) => {
    p.need(ctx);
    const r = p.nx(['run-many', '-t', 'lock', '--projects=base,child,gpu', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    const lock = readFileSync(join(p.root, 'images/base/poetry.lock'), 'utf8');
    expect(lock).toMatch(/name = "six"\nversion = "1.16.0"/);
    expect(readFileSync(join(p.root, 'images/base/requirements.txt'), 'utf8')).toMatch(
      /^six==1\.16\.0 \\\n {4}--hash=sha256:[0-9a-f]{64}/m,
    );
    // The child keeps its parent's version and adds its own package.
    const child = readFileSync(join(p.root, 'images/child/poetry.lock'), 'utf8');
    expect(child).toMatch(/name = "six"\nversion = "1.16.0"/);
    expect(child).toMatch(/name = "idna"\nversion = "3.7"/);
  }, 300_000);

  it('builds every image once, parents first, then nothing on the second run', async (ctx) => {
    p.need(ctx);
    const first = await p.nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(first.code, first.out).toBe(0);
    expect([...first.built].sort()).toEqual(ALL);
    expect(first.built.indexOf('base')).toBeLessThan(first.built.indexOf('child'));
    // No engine log by default, so no BuildKit ERROR line for an absent cache image either.
    expect(first.out).not.toMatch(/ERROR|importing cache manifest/);
    // One result line per image; a progress line every 10 s while the engine works (no TTY).
    for (const image of ALL) {
      const [progress, result] = partition(linesFor(first.out, image), (l) =>
        / building \(/.test(l),
      );
      expect(result).toEqual([expect.stringMatching(new RegExp(`^${image}: built \\S+:ch-`))]);
      for (const l of progress) expect(l).toMatch(/^\w+: building \((.*, )?\d+ s\)$/);
    }
    const child = p.meta('child');
    expect(child.tags).toEqual([
      `${p.repo}/child:${child.reference.split(':').at(-1)}`,
      `${p.repo}/child:1.0-r0`,
      `${p.repo}/child:1.0`,
    ]);
    expect(p.meta('base').tags).toContain(`${p.repo}/base:1.0-r3`);
    const second = await p.nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(second.code, second.out).toBe(0);
    expect(second.built).toEqual([]);
    // A no-op build prints exactly one line per image, in words.
    for (const image of ALL)
      expect(linesFor(second.out, image)).toEqual([
        `${image}: already built (found locally: ${p.meta(image).reference})`,
      ]);
  }, 900_000);

  it('validates each image with its own and inherited checks, skipping hardware checks with the reason', (ctx) => {
    p.need(ctx);
    const env = { IMAGESMITH_HARDWARE: '' };
    const r = p.nx(['run-many', '-t', 'validate', '--outputStyle=static'], {
      ...env,
      IMAGESMITH_VERBOSE: '1',
    });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/PASS \[base\] import six \(1\.16\*\)/);
    expect(r.out).toMatch(/PASS \[base\] \/opt\/venv\/bin\/python exists/);
    // The child re-runs its parent's checks.
    expect(r.out).toMatch(
      /child: contract passed[\s\S]*PASS \[base\] env TEAM=ml[\s\S]*PASS \[child\] \/data exists/,
    );
    expect(r.out).toMatch(/PASS \[child\] import idna \(3\.7\*\)/);
    expect(r.out).toMatch(/SKIP \[base\] a GPU is visible: needs an NVIDIA GPU/);
    expect(r.out).toMatch(/PASS \[gpu\] python 3\.11 from apt/);
    expect(r.out).toMatch(/\d+ passed, 0 failed, \d+ skipped/);
    expect(readFileSync(join(p.root, 'dist/junit/child.xml'), 'utf8')).toMatch(
      /<testsuite name="validate child"/,
    );
    // Without --verbose: one line per image (the contract passed before: no container started).
    const quiet = p.nx(['run-many', '-t', 'validate', '--outputStyle=static'], env);
    expect(quiet.code, quiet.out).toBe(0);
    expect(quiet.out).not.toMatch(/PASS /);
    for (const image of ALL)
      expect(linesFor(quiet.out, image).filter((l) => l.includes('contract'))).toEqual([
        expect.stringMatching(/contract passed \(\d+ passed, 0 failed, \d+ skipped; this exact/),
      ]);
  }, 300_000);

  it('rebuilds only the touched leaf, reusing its parent', async (ctx) => {
    p.need(ctx);
    writeFile(p.root, 'images/child/image.yaml', `${IMAGES.child}env: { TOUCHED: "1" }\n`);
    expect(p.nx(['sync']).code).toBe(0); // Nx does not sync by itself in CI
    const r = await p.nxBuilds(['run-many', '-t', 'build', '--outputStyle=static']);
    expect(r.code, r.out).toBe(0);
    expect(r.built).toEqual(['child']);
  }, 600_000);

  it('fails validate when a check fails and names the check', (ctx) => {
    p.need(ctx);
    writeFile(
      p.root,
      'images/child/image.yaml',
      `${IMAGES.child}env: { TOUCHED: "1" }\n`.replace(
        'files: { exist: [/data] }',
        'files: { exist: [/data], absent: [/opt/venv] }',
      ),
    );
    expect(p.nx(['sync']).code).toBe(0);
    const r = p.nx(['run', 'child:validate', '--outputStyle=static']);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/FAIL \[child\] \/opt\/venv is absent: \/opt\/venv exists in the image/);
    expect(r.out).toMatch(/1 failed/);
  }, 600_000);

  it('fails build with a clear message when the daemon is unreachable, recording nothing', (ctx) => {
    p.need(ctx);
    writeFile(p.root, 'images/gpu/image.yaml', `${IMAGES.gpu}env: { CHANGED: "yes" }\n`);
    expect(p.nx(['sync']).code).toBe(0);
    rmSync(join(p.root, 'images/gpu/.imagesmith'), { recursive: true, force: true });
    const r = p.nx(['run', 'gpu:build', '--outputStyle=static'], {
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
      IMAGESMITH_ENGINE: 'docker',
    });
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/dockerd|start/i);
    expect(existsSync(join(p.root, 'images/gpu/.imagesmith/build-production.json'))).toBe(false);
  }, 300_000);

  it('never puts the index credential in a layer, the history or a log', (ctx) => {
    p.need(ctx);
    const ref = p.meta('base').reference;
    expect(p.docker('history', '--no-trunc', ref)).not.toContain(p.secret);
    // Lines of the saved image holding `needle`: with the containerd image store `docker save`
    // writes an OCI layout whose layers are the gzip blobs, so each file is read decompressed.
    const inSaved = (needle: string) =>
      Number(
        execFileSync(
          'sh',
          // prettier-ignore
          ['-c', 'd=$(mktemp -d) && trap \'rm -rf "$d"\' EXIT && "$0" save "$1" | tar -x -C "$d" && find "$d" -type f -exec zcat -f {} + | grep -c -a -F -e "$2" || true', DOCKER, ref, needle],
          { encoding: 'utf8', maxBuffer: 1024 * 1024 },
        ).trim(),
      );
    // The scan reads the layers' files (the venv's interpreter is in one), and the secret is in none.
    expect(inSaved('opt/venv/bin/python')).toBeGreaterThan(0);
    expect(inSaved(p.secret)).toBe(0);
    expect(p.logs.join('\n')).not.toContain(p.secret);
  }, 300_000);
});
