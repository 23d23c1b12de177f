import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkspace, readWorkspaceConfig } from '@imagesmith/core';
import {
  BuildLog,
  EngineError,
  formatBuildFailure,
  type BuildRequest,
  type Engine,
  type RegistryClient,
} from '@imagesmith/engine';
import { createTempWorkspace, removeWorkspace } from '../../../../testkit/temp-workspace';
import { buildImage } from './build';
import type { Session } from '../shared/engine-context';
import { generate } from '../generate/generate';

const spec = (extra: string) =>
  `description: failing build\nprofile: cpu\npython: "3.11"\nversion: "1.0"\n${extra}`;
const IMAGES = {
  bad: spec('commands:\n  - "true"\n  - echo about to fail && ls /nope\n'),
  typo: spec('base: "python:3.11-slim-bookwrom"\n'),
  good: spec(''),
  good2: spec('commands: ["true"]\n'),
  pinned: spec('').replace('"3.11"', '"3.12"'),
};
// The profile's 3.12 base, pinned in base-digests.json: nothing to ask the registry.
const DIGESTS = { digests: { 'python:3.12-slim-bookworm': `sha256:${'e'.repeat(64)}` } };
const BASE = 'mirror.test/library/python:3.11-slim-bookworm';

/** BuildKit's plain output for a RUN step that fails at `line` of the Dockerfile. */
function buildkitFailure(line: number): string[] {
  return [
    '#1 [internal] load build definition from Dockerfile',
    '#1 transferring dockerfile: 4.17kB done',
    `#4 [base 1/4] FROM ${BASE}@sha256:e9b4d471856df331933bdf2c685e860a39182e7e61abd08645c9fbfce054972a`,
    `#4 resolve ${BASE}@sha256:e9b4d471856df331933bdf2c685e860a39182e7e61abd08645c9fbfce054972a 0.0s done`,
    '#10 [runtime 2/5] RUN true',
    '#10 DONE 0.4s',
    '#11 [runtime 3/5] RUN echo about to fail && ls /nope',
    '#11 0.205 about to fail',
    "#11 0.215 ls: cannot access '/nope': No such file or directory",
    '#11 ERROR: process "/bin/bash -o pipefail -c echo about to fail && ls /nope" did not complete successfully: exit code: 2',
    '------',
    ' > [runtime 3/5] RUN echo about to fail && ls /nope:',
    '0.205 about to fail',
    '------',
    `Dockerfile:${line}`,
    '--------------------',
    `  ${line} | >>> RUN echo about to fail && ls /nope`,
    '--------------------',
    'ERROR: failed to solve: process "/bin/bash -o pipefail -c echo about to fail && ls /nope" did not complete successfully: exit code: 2',
  ];
}

/** An engine whose builds fail as docker's do (the message from the engine library's own formatter). */
function failingEngine(): Engine {
  return {
    name: 'docker',
    info: async () => undefined,
    buildsIntoEngine: async () => true,
    inspect: async () => null,
    build: async (req: BuildRequest) => {
      const lines = readFileSync(req.dockerfile, 'utf8').split('\n');
      const output = buildkitFailure(lines.indexOf('RUN echo about to fail && ls /nope') + 1);
      const log = new BuildLog(20);
      for (const l of output) {
        log.push(l);
        req.onOutput?.(l);
      }
      throw new EngineError(
        formatBuildFailure('docker', req.source!, log, 1, { tail: !req.onOutput }),
        'docker',
      );
    },
  } as unknown as Engine;
}

let root: string;
beforeAll(() => {
  root = createTempWorkspace(IMAGES, {
    'imagesmith.json': '{"repository": "registry.test/ns", "mirrors": {"registry": "mirror.test"}}',
    'base-digests.json': JSON.stringify(DIGESTS),
  });
  generate(root, { images: Object.keys(IMAGES) });
});
afterAll(() => removeWorkspace(root));

function session(engine: Engine, registry: Partial<RegistryClient> = {}) {
  const lines: string[] = [];
  const s: Session = {
    root,
    ws: loadWorkspace(root),
    config: readWorkspaceConfig(root, {}),
    engine,
    registry: { hasTag: async () => false, ...registry },
    log: (l) => lines.push(l),
  };
  return { s, lines };
}

describe('a failed build', () => {
  it("names the spec field the step came from, quotes only the step's output, and writes the whole log", async () => {
    const { s, lines } = session(failingEngine());
    const error = (await buildImage(s, 'bad').catch((e: Error) => e)) as Error;
    expect(error).toBeInstanceOf(EngineError);
    const message = error.message.split('\n');
    expect(message[0]).toMatch(
      /^docker build of images\/bad\/Dockerfile failed at step \[runtime 3\/5\]/,
    );
    expect(message.slice(1, 4)).toEqual([
      'Output of that step (last 2 lines):',
      '  about to fail',
      "  ls: cannot access '/nope': No such file or directory",
    ]);
    expect(error.message).toMatch(
      /That step comes from images\/bad\/image\.yaml line 7, field commands\[1\] \(images\/bad\/Dockerfile line \d+ is generated from it: do not edit the Dockerfile\)\./,
    );
    expect(error.message).toContain(
      'The whole build log: images/bad/.imagesmith/build-production.log',
    );
    expect(message.at(-1)).toBe(
      'What to do: fix commands[1] in images/bad/image.yaml, then build again.',
    );
    expect(error.message).not.toMatch(/sha256|#11|in the Dockerfile or/);
    expect(lines).toEqual([]);
    const log = readFileSync(join(root, 'images/bad/.imagesmith/build-production.log'), 'utf8');
    expect(log).toContain('#4 resolve mirror.test/library/python');
    expect(log).toContain('ERROR: failed to solve:');
  });
});

describe('an external base', () => {
  it('that the registry does not have fails before the engine runs, naming the field and the nearest known base', async () => {
    const asked: string[] = [];
    let built = 0;
    const engine = { ...failingEngine(), build: async () => void built++ } as unknown as Engine;
    const { s } = session(engine, {
      manifestDigest: async (ref) => (asked.push(ref), ref === BASE ? 'sha256:1' : undefined),
    });
    const error = (await buildImage(s, 'typo').catch((e: Error) => e)) as Error;
    expect(error.message).toBe(
      'typo: base `python:3.11-slim-bookwrom` (images/typo/image.yaml line 5, field base) does not exist in mirror.test (asked as mirror.test/library/python:3.11-slim-bookwrom); did you mean `python:3.11-slim-bookworm`?\n  hint: fix base in images/typo/image.yaml to a base the registry has (nothing was built)',
    );
    expect(built).toBe(0);
    expect(asked).toEqual(['mirror.test/library/python:3.11-slim-bookwrom']);
    expect(existsSync(join(root, 'images/typo/.imagesmith/build-production.json'))).toBe(false);
  });

  it('is asked for once per command, and a registry that does not answer lets the engine try', async () => {
    const asked: string[] = [];
    const builds: string[] = [];
    const engine = {
      ...failingEngine(),
      build: async (req: BuildRequest) => {
        builds.push(req.source!);
        throw new EngineError('docker build of x failed (exit code 1)', 'docker');
      },
    } as unknown as Engine;
    const { s } = session(engine, {
      manifestDigest: async (ref) => {
        asked.push(ref);
        throw new Error('connect ECONNREFUSED');
      },
    });
    for (const image of ['good', 'good2', 'pinned'])
      await buildImage(s, image).catch(() => undefined);
    expect(builds).toEqual([
      'images/good/Dockerfile',
      'images/good2/Dockerfile',
      'images/pinned/Dockerfile',
    ]);
    // A base pinned by digest in base-digests.json is not asked for.
    expect(asked).toEqual([BASE]);
  });
});
