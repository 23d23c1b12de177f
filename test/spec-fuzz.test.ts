import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, specWorkspace, treeHashes, writeSpec } from './support/spec-workspace';
import { specText } from './support/spec-fuzz-values';

// Issue 16: whatever a spec says, `imagesmith generate` answers with a named error or a result,
// never an internal error (exit 70), never slowly, never changes a file outside the image's own
// folder, and what it writes is then in sync. Every spec field gets random values and types,
// YAML-level nasties included, and the real generate path runs on each in a temp workspace.
// Seeded, so a failure reproduces.

let root: string;
beforeAll(async () => {
  root = specWorkspace({ 'python-base': 'description: Base\nprofile: cpu\npython: "3.11"\n' });
  expect((await cli(root, 'generate', '--all')).code).toBe(0);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const outsideImage = (path: string) => path === 'images/fuzz' || path.startsWith('images/fuzz/');

describe('generate on a fuzzed spec', () => {
  it('never fails internally, never hangs, never writes outside images/<name>/', async () => {
    await fc.assert(
      fc.asyncProperty(specText, fc.boolean(), async ({ field, text }, check) => {
        rmSync(join(root, 'images/fuzz'), { recursive: true, force: true });
        writeSpec(root, 'fuzz', text);
        const before = treeHashes(root, outsideImage);
        const argv = check ? ['generate', '--all', '--check'] : ['generate', 'fuzz'];
        // A library's own warning (yaml's process.emitWarning) would print the file's text itself.
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.message);
        process.on('warning', onWarning);
        const started = performance.now();
        const { code, stderr } = await cli(root, ...argv).finally(() =>
          process.off('warning', onWarning),
        );
        const ms = performance.now() - started;

        const context = `${field}: ${JSON.stringify(text.slice(0, 300))}\n${stderr.slice(0, 2000)}`;
        expect([0, 1, 2], context).toContain(code);
        expect(stderr, context).not.toMatch(/internal error/);
        expect(ms, context).toBeLessThan(5000);
        expect(warnings, context).toEqual([]);
        expect(treeHashes(root, outsideImage), context).toEqual(before);
        // What was written is what generation plans: a spec that generates is then in sync.
        if (!check && code === 0)
          expect((await cli(root, 'generate', '--check', 'fuzz')).stdout, context).toMatch(
            /up to date/,
          );
      }),
      { seed: 16, numRuns: 200, endOnFailure: true },
    );
  });
});
