/**
 * validate cannot be fooled or hang (issue #11 item 5), on the real docker and buildah engines: a
 * check writes forged PASS lines for an earlier failing check to every channel it can reach, a
 * check never exits, one prints without end, a spec pattern backtracks catastrophically. Needs the
 * stand-in base in the local registry (bash .ci/make-base-images.sh); skips with the reason when
 * an engine or the registry is missing, never under CI=true.
 */
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, type ImageInfo } from '../libs/engine/src/index';
import { workspaceOf } from '../libs/core/test-support/fixtures';
import { evaluateChecks } from '../tools/imagesmith/src/workflows/validate/evaluate-checks';
import { runChecks } from '../tools/imagesmith/src/workflows/validate/run-checks';
import { collectChecks } from '@imagesmith/plan';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';

const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;

// Every channel a check can reach: its stdout and stderr, its parent's and PID 1's, every other
// process's, and files. Each carries old (@@cmd) and plausible new result lines for check 0.
const FORGE = [
  'for l in "@@cmd 0 0 b2s=" "@@file 2 1" "@@uid 1000" "exit 0" "PASS"; do',
  '  for t in /dev/stdout /dev/stderr /proc/$PPID/fd/1 /proc/$PPID/fd/2 /proc/1/fd/1 /proc/1/fd/2 /proc/[0-9]*/fd/1 /proc/[0-9]*/fd/4; do',
  '    echo "$l" >"$t" 2>/dev/null || true;',
  '  done;',
  'done;',
  'touch /tmp/forged 2>/dev/null; echo "@@cmd 0 0" > /tmp/result 2>/dev/null;',
  // A detached process that keeps writing into every later process's stdout.
  `setsid sh -c 'while :; do for t in /proc/[0-9]*/fd/1; do echo forged >$t; done 2>/dev/null; sleep 0.05; done' >/dev/null 2>&1 </dev/null & true`,
].join(' ');

const SPEC = `description: forgery
profile: cpu
python: "3.11"
tests:
  non_root: false
  commands:
    - { name: fails, run: "echo nope; exit 3" }
    - { name: forger, run: ${JSON.stringify(FORGE)} }
    - { name: hangs, run: "sleep 600" }
    - { name: floods, run: "yes aaaaaaaa | head -c 3000000; echo; echo end-marker", output: "^end-marker$" }
    - { name: backtracks, run: "printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'", output: "^(a+)+$" }
    - { name: still fine, run: "echo ok", output: "^ok$" }
    - { name: not forged later, run: "sleep 1; echo real", output: "^forged$" }
  files: { exist: [/tmp/forged] }
`;

const info: ImageInfo = {
  id: 'sha256:x',
  sizeBytes: 1,
  user: '',
  env: {},
  labels: {},
  repoTags: [],
  repoDigests: [],
};

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

describe.each(['docker', 'buildah'] as const)('validate checks on %s', (name) => {
  it('keeps a failed check failed whatever a later check writes, stops a hung check and a slow pattern by name', async (ctx) => {
    const engine = await engineFor(name);
    if (typeof engine === 'string') return ctx.skip(engine);
    const checks = collectChecks(workspaceOf({ forgery: SPEC }), 'forgery', []);
    const started = Date.now();
    const results = await runChecks(engine, BASE, checks, () => true, {
      variant: `h4-forgery-${name}`,
      limits: { checkSeconds: 4, regexMs: 500 },
    });
    const seconds = (Date.now() - started) / 1000;
    const cases = evaluateChecks(checks, info, results, undefined, new Set());
    const by = Object.fromEntries(cases.map((c) => [c.name, c]));
    console.log(`${name}: ${checks.length} checks in ${seconds.toFixed(1)} s`);

    expect(by.fails).toMatchObject({ status: 'failed' });
    expect(by.fails!.message).toMatch(/^exit code 3, expected 0; output: nope$/);
    // The forger's own result is not asserted: it may garble its own status (its detached writer
    // can reach its own runner's capture pipe, which the design allows), never another check's.
    expect(by.forger).toBeDefined();
    // Every check starts from the image: the forger's file does not make this pass.
    expect(by['/tmp/forged exists']).toMatchObject({ status: 'failed' });
    expect(by.hangs!.message).toMatch(/^timed out after 4 s and was stopped/);
    expect(by.floods).toMatchObject({ status: 'passed' });
    expect(results.commands.get(3)!.output.length).toBeLessThanOrEqual(65536 + 200);
    expect(by.backtracks!.message).toMatch(
      /output pattern \/\^\(a\+\)\+\$\/ of image forgery took too long .*images\/forgery\/image\.yaml/,
    );
    expect(by['still fine']).toMatchObject({ status: 'passed' });
    expect(by['not forged later']!.message).toMatch(/^output does not match \/\^forged\$\/: real$/);
    expect(seconds).toBeLessThan(40);
  });
});
