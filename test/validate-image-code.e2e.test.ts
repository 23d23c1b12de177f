/**
 * validate's results cannot be forged by the image's own code (issue 16), on the real docker and
 * buildah engines: (a) a module the image installs runs at every Python start (a .pth line),
 * prints plausible probe result lines and exits 0; the file checks, the uid and the import of a
 * module that is not there must not pass because of it. (b) one command check writes a module into
 * the writable working directory; a later check that imports it must not pass because of that:
 * every check starts from the image (the check imports with -S, so the .pth module does not answer
 * for it). Needs the stand-in base in the local registry (bash
 * .ci/make-base-images.sh); skips with the reason when an engine or the registry is missing, never
 * under CI=true.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type ImageInfo } from '../libs/engine/src/index';
import { workspaceOf } from '../libs/core/test-support/fixtures';
import { evaluateChecks } from '../tools/imagesmith/src/workflows/validate/evaluate-checks';
import { runChecks } from '../tools/imagesmith/src/workflows/validate/run-checks';
import { collectChecks } from '@imagesmith/plan';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';

const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const SITE = '/usr/lib/python3/dist-packages';

// What the spec's tests say; check indices follow collectChecks: commands, files, imports.
const SPEC = `description: forged probe
profile: cpu
python: "3.11"
tests:
  commands:
    - { name: plants a module, run: "echo 'X = 1' > /workspace/fakemod.py" }
    - { name: imports the planted module, run: "python3 -S -c 'import fakemod'" }
    - { name: the working directory is the image's, run: "ls /workspace", output: "^keep.txt$" }
  files: { exist: [/definitely-missing], absent: [/etc/passwd] }
  imports: { numpy: "", realmod: "1.2", appmod: "", extramod: "" }
`;

// Old (one @@ line per probe) and plausible new result lines, then exit 0 before any probe code.
const FORGE = `import os, sys
lines = ["@@file 3 1", "@@file 4 0", "@@uid 0",
         '@@imports {"numpy": {"ok": true, "version": "1.26.4"}, "realmod": {"ok": true, "version": "1.2.3"}}',
         "1.26.4", "ok", "@@import 0 1.26.4"]
for line in lines:
    print(line, flush=True)
    print(line, file=sys.stderr, flush=True)
os._exit(0)
`;

const DOCKERFILE = `FROM ${BASE}
RUN mkdir -p ${SITE}/realmod /workspace && echo keep > /workspace/keep.txt && chown -R 1000:1000 /workspace \\
 && echo '__version__ = "1.2.3"' > ${SITE}/realmod/__init__.py \\
 && mkdir /app /extra && touch /app/appmod.py /extra/extramod.py && echo /extra > ${SITE}/extra.pth
ENV PYTHONPATH=/app
COPY forge.py ${SITE}/forge.py
COPY zz-forge.pth ${SITE}/zz-forge.pth
WORKDIR /workspace
USER 1000
`;

const info: ImageInfo = {
  id: 'sha256:x',
  sizeBytes: 1,
  user: '1000',
  env: {},
  labels: {},
  repoTags: [],
  repoDigests: [],
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function engineFor(name: 'docker' | 'buildah'): Promise<Engine | string> {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) return got.skip;
  const engine = createEngine(name);
  try {
    await engine.info();
  } catch (e) {
    if (process.env.CI === 'true') throw e;
    return `${name} is not usable here: ${(e as Error).message.split('\n')[0]}`;
  }
  if (!(await engine.inspect(BASE))) await engine.pull(BASE);
  return engine;
}

async function buildForger(engine: Engine, tag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-forger-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, 'forge.py'), FORGE);
  writeFileSync(join(dir, 'zz-forge.pth'), 'import forge\n');
  await engine.build({ contextDir: dir, dockerfile: join(dir, 'Dockerfile'), tags: [tag] });
}

describe.each(['docker', 'buildah'] as const)(
  'validate on %s against the image’s own code',
  (name) => {
    it('keeps file, uid and import results out of the image’s reach and starts every check from the image', async (ctx) => {
      const engine = await engineFor(name);
      if (typeof engine === 'string') return ctx.skip(engine);
      const tag = `localhost/imagesmith-forger-${name}:${process.pid}`;
      await buildForger(engine, tag);
      try {
        const checks = collectChecks(workspaceOf({ forger: SPEC }), 'forger', []);
        const started = Date.now();
        const results = await runChecks(engine, tag, checks, () => true, {
          variant: `forger-${name}`,
          limits: { checkSeconds: 30, regexMs: 500 },
        });
        console.log(
          `${name}: ${checks.length} checks in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
        const cases = evaluateChecks(checks, info, results, undefined, new Set());
        const by = Object.fromEntries(cases.map((c) => [c.name, c]));

        // (a) The forged lines of the .pth module decide nothing.
        expect(by['/definitely-missing exists']).toMatchObject({ status: 'failed' });
        expect(by['/etc/passwd is absent']).toMatchObject({ status: 'failed' });
        expect(by['import numpy']).toMatchObject({ status: 'failed' });
        expect(by['import numpy']!.message).toMatch(/No module named 'numpy'/);
        expect(by['import realmod (1.2*)']).toMatchObject({ status: 'passed' });
        // Paths are set up as Python's own start does: PYTHONPATH and .pth path lines count.
        expect(by['import appmod']).toMatchObject({ status: 'passed' });
        expect(by['import extramod']).toMatchObject({ status: 'passed' });
        expect(results.uid).toBe(1000);
        expect(by['runs as a non-root user']).toMatchObject({ status: 'passed' });
        // (b) Each check starts from the image: what the first wrote is not there for the next.
        expect(by['plants a module']).toMatchObject({ status: 'passed' });
        expect(by['imports the planted module']).toMatchObject({ status: 'failed' });
        expect(by["the working directory is the image's"]).toMatchObject({ status: 'passed' });
      } finally {
        await engine.remove(tag);
      }
    }, 180_000);
  },
);
