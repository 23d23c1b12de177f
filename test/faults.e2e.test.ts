/**
 * Faults leave nothing false behind (issue #11 item 8), with the real CLI, docker engine and local
 * registry: an image deleted behind the build record's back, a truncated record, a content-hash
 * tag on an image labelled with other content (locally, and a registry copy that validate pulls),
 * a folder where the record goes, and a daemon killed mid-build (a second dockerd, so the engine
 * other tests use stays up). Engine builds are counted from the engine's own events. Skips with
 * the reason outside CI when docker or the registry is missing; in CI (CI=true) it fails instead.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGISTRY } from './support/engine-env';
import { pidsRunning, useFaultWorkspace } from './support/fault-workspace';
import { startSecondEngine } from './support/second-engine';

// A sleep no other process runs: the test sees when the build is inside it.
const SLEEP = ['sleep', `20.${String(process.pid).padStart(7, '0')}`];
const spec = (extra = '') => `description: fault e2e
profile: cpu
python: "3.11"
version: "1.0"
${extra}tests:
  commands:
    - name: python runs
      run: python -c "print(6*7)"
      output: "^42$"
`;
const IMAGES = {
  h5fault: spec(),
  h5slow: spec(`commands: ["${SLEEP.join(' ')}"]\n`),
  // Each fails in the engine (or before it) because of one field of its spec (issue #16).
  h5badcmd: spec('commands:\n  - "true"\n  - echo about to fail && ls /nope-h5\n'),
  h5badbase: spec('base: python:3.11-slim-bookwrom\n'),
  h5badapt: spec('system_packages: [no-such-package-h5]\n'),
};
const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const w = useFaultWorkspace('h5faults', IMAGES);

describe('faults on one engine', () => {
  it('an image deleted behind the record is rebuilt, never reported up to date', async (ctx) => {
    w.need(ctx);
    const first = await w.cliBuilds(['build', 'h5fault']);
    expect(first.code, first.out).toBe(0);
    expect(first.built).toEqual(['h5fault']);
    w.docker('rmi', ...w.localTags());
    const again = await w.cliBuilds(['build', 'h5fault']);
    expect(again.code, again.out).toBe(0);
    expect(again.built).toEqual(['h5fault']);
    expect(again.out).not.toMatch(/already built/);
    expect(w.meta('h5fault').result).toBe('built');
  }, 600_000);

  it('a truncated record is replaced from what the engine holds', async (ctx) => {
    w.need(ctx);
    const hash = w.meta('h5fault').contentHash;
    writeFileSync(w.metaFile('h5fault'), '{"image": "h5fa');
    const r = await w.cliBuilds(['build', 'h5fault']);
    expect(r.code, r.out).toBe(0);
    expect(r.built).toEqual([]);
    expect(r.out).toMatch(/h5fault: already built \(found locally: /);
    expect(w.meta('h5fault')).toMatchObject({ contentHash: hash, result: 'present-local' });
  }, 300_000);

  it('a content-hash tag on an image labelled otherwise is rebuilt, and only then are version tags moved', async (ctx) => {
    w.need(ctx);
    const { reference, tags, contentHash } = w.meta('h5fault');
    w.docker('pull', '-q', BASE);
    w.docker('tag', BASE, reference);
    const r = await w.cliBuilds(['build', 'h5fault']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      /rebuilding h5fault: \S+ points at an image labelled dev\.imagesmith\.content-hash=\(none\), not [0-9a-f]{64}/,
    );
    expect(r.built).toEqual(['h5fault']);
    const ids = tags.map((t) => w.docker('image', 'inspect', '--format', '{{.Id}}', t).trim());
    expect(new Set(ids).size).toBe(1);
    const label = w.docker(
      'image',
      'inspect',
      '--format',
      '{{index .Config.Labels "dev.imagesmith.content-hash"}}',
      tags[1]!,
    );
    expect(label.trim()).toBe(contentHash);
    expect(w.meta('h5fault').imageId).toBe(ids[0]);
  }, 600_000);

  it('a registry copy labelled otherwise is refused by validate after the pull; build then rebuilds it', async (ctx) => {
    w.need(ctx);
    const { reference } = w.meta('h5fault');
    // The image's config (its layers, labels and SOURCE_DATE_EPOCH time), not its id: the id names
    // the index, whose BuildKit provenance records when each build ran.
    const config = () =>
      w
        .docker(
          'image',
          'inspect',
          '--format',
          '{{json .RootFS.Layers}} {{.Created}} {{json .Config.Labels}}',
          reference,
        )
        .trim();
    const good = config();
    w.docker('tag', BASE, reference);
    w.docker('push', reference);
    w.docker('rmi', ...w.localTags());
    const validated = await w.cli(['validate', 'h5fault']);
    expect(validated.code, validated.out).toBe(2);
    expect(validated.out).toMatch(
      /h5fault: \S+ points at an image labelled dev\.imagesmith\.content-hash=\(none\), not [0-9a-f]{64}; run `nx run h5fault:build` to rebuild it/,
    );
    const pushed = await w.cli(['push', 'h5fault']);
    expect(pushed.code, pushed.out).toBe(2);
    expect(pushed.out).toMatch(
      /points at an image labelled dev\.imagesmith\.content-hash=\(none\)/,
    );
    const rebuilt = await w.cliBuilds(['build', 'h5fault']);
    expect(rebuilt.code, rebuilt.out).toBe(0);
    expect(rebuilt.built).toEqual(['h5fault']);
    expect(config()).toBe(good);
    const ok = await w.cli(['validate', 'h5fault']);
    expect(ok.code, ok.out).toBe(0);
  }, 600_000);

  it('a folder where build-production.json goes is named with what to do, before any engine work', async (ctx) => {
    w.need(ctx);
    const file = w.metaFile('h5fault');
    rmSync(file);
    mkdirSync(file);
    const r = await w.cliBuilds(['build', 'h5fault']);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(
      `${file} is a folder, but imagesmith writes the build record there; remove it (\`rm -r ${file}\``,
    );
    expect(r.out).not.toMatch(/EISDIR|internal/i);
    expect(r.built).toEqual([]);
    rmSync(file, { recursive: true });
    expect((await w.cli(['build', 'h5fault'])).code).toBe(0);
  }, 300_000);
});

describe('a failing build points at the spec', () => {
  it("names the commands entry and its line, quotes only that step's output, and writes the whole log", async (ctx) => {
    w.need(ctx);
    const r = await w.cliBuilds(['build', 'h5badcmd']);
    expect(r.code, r.out).toBe(1);
    // The step's stdout and stderr reach BuildKit's log as two streams: either may come first.
    const quoted = /Output of that step \(last 2 lines\):\n {2}(.*)\n {2}(.*)\n/.exec(r.out);
    expect(quoted, r.out).not.toBeNull();
    expect([quoted![1], quoted![2]].sort()).toEqual([
      'about to fail',
      "ls: cannot access '/nope-h5': No such file or directory",
    ]);
    expect(r.out).toMatch(
      /That step comes from images\/h5badcmd\/image\.yaml line 7, field commands\[1\] \(images\/h5badcmd\/Dockerfile line \d+ is generated from it: do not edit the Dockerfile\)/,
    );
    expect(r.out).toContain(
      'What to do: fix commands[1] in images/h5badcmd/image.yaml, then build again.',
    );
    expect(r.out).not.toMatch(/sha256:|#\d+ |in the Dockerfile or its inputs/);
    const log = readFileSync(`${w.root}/images/h5badcmd/.imagesmith/build-production.log`, 'utf8');
    expect(log).toMatch(/^#\d+ \[runtime \d+\/\d+\] RUN echo about to fail/m);
    expect(r.out).toContain(
      'The whole build log: images/h5badcmd/.imagesmith/build-production.log',
    );
  }, 300_000);

  it('refuses a base the registry does not have before the engine runs, naming the field and the nearest base', async (ctx) => {
    w.need(ctx);
    const r = await w.cliBuilds(['build', 'h5badbase']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `h5badbase: base \`python:3.11-slim-bookwrom\` (images/h5badbase/image.yaml line 5, field base) does not exist in ${REGISTRY} (asked as ${REGISTRY}/library/python:3.11-slim-bookwrom); did you mean \`python:3.11-slim-bookworm\`?`,
    );
    expect(r.built).toEqual([]);
    expect(r.out).not.toMatch(/lost a layer|Dockerfile/);
  }, 300_000);

  it('names the system_packages entry apt could not find', async (ctx) => {
    w.need(ctx);
    const r = await w.cliBuilds(['build', 'h5badapt']);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain('E: Unable to locate package no-such-package-h5');
    expect(r.out).toMatch(
      /That step comes from images\/h5badapt\/image\.yaml line 5, field system_packages\[0\]/,
    );
    expect(r.out).toContain('What to do: fix system_packages[0] in images/h5badapt/image.yaml');
  }, 300_000);
});

describe('a daemon killed mid-build', () => {
  it('says the engine went away, keeps no record claiming either content, and rebuilds once it is back', async (ctx) => {
    w.need(ctx);
    // The record an earlier build of h5slow left (other content): it must not outlive a failed build.
    mkdirSync(dirname(w.metaFile('h5slow')), { recursive: true });
    writeFileSync(
      w.metaFile('h5slow'),
      JSON.stringify({ ...w.meta('h5fault'), image: 'h5slow', variant: 'h5slow' }),
    );
    const engine = await startSecondEngine('h5faults');
    try {
      const running = w.cli(['build', 'h5slow'], engine.env);
      let waited = 0;
      for (; pidsRunning(SLEEP).length === 0 && waited < 300_000; waited += 200) await sleep(200);
      expect(waited).toBeLessThan(300_000);
      await engine.kill();
      const r = await running;
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(
        /h5slow: the docker engine went away during the build \(.*\); nothing was recorded for this build/,
      );
      expect(r.out).not.toMatch(/may not parse/);
      expect(existsSync(w.metaFile('h5slow'))).toBe(false);
      await engine.start();
      const again = await w.cliBuilds(['build', 'h5slow'], engine.env, engine.builds);
      expect(again.code, again.out).toBe(0);
      expect(again.built).toEqual(['h5slow']);
      expect(w.meta('h5slow').result).toBe('built');
    } finally {
      await engine.stop();
    }
  }, 900_000);
});
