import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from './detect-engine';
import { fakeExec } from '../test-support/fake-exec';

const FAILED_BUILD = `#5 [builder 3/3] RUN pip install six
#5 0.075 Collecting six
#5 0.078 ERROR: No matching distribution found for six
#5 ERROR: executor failed running [/bin/sh -c pip install six]: exit code: 1`;

function failingEngine() {
  const { exec } = fakeExec((call) =>
    call.args[1] === 'build' ? { exitCode: 1, stderr: FAILED_BUILD } : undefined,
  );
  return createEngine('docker', { binary: 'docker', exec, env: {}, hostPlatform: 'linux/amd64' });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const request = () => {
  const dir = mkdtempSync(join(tmpdir(), 'imagesmith-ctx-'));
  dirs.push(dir);
  return { contextDir: dir, dockerfile: join(dir, 'Dockerfile'), tags: ['127.0.0.1:5000/x:1'] };
};

describe('a failed build', () => {
  it('hands every line to a caller that takes the output, and its message repeats none of them', async () => {
    const seen: string[] = [];
    const error = await failingEngine()
      .build({ ...request(), onOutput: (l) => seen.push(l) })
      .catch((e: Error) => e);
    expect(seen).toEqual(FAILED_BUILD.split('\n'));
    const message = (error as Error).message;
    expect(message).toMatch(/failed at step \[builder 3\/3\] RUN pip install six/);
    expect(message).not.toContain('Collecting six');
    expect(message).not.toMatch(/Last \d+ lines? of output/);
  });

  it("quotes the failing step's own output when nobody took the output", async () => {
    const error = await failingEngine()
      .build(request())
      .catch((e: Error) => e);
    expect((error as Error).message).toContain(
      'Output of that step (last 2 lines):\n  Collecting six\n  ERROR: No matching distribution found for six\n',
    );
    expect((error as Error).message.match(/Collecting six/g)).toHaveLength(1);
  });
});
