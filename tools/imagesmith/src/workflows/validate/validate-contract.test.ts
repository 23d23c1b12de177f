import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '@imagesmith/engine';
import { workspaceOf } from '../../../../../libs/core/test-support/fixtures';
import { evaluateChecks } from './evaluate-checks';
import { collectChecks, contractHash } from '@imagesmith/plan';
import { checkArgv, importResult, parseResults, probeScript } from './validate-script';

const ws = workspaceOf({
  base: 'description: b\nprofile: cpu\npython: "3.11"\ntests:\n  env: { A: "1" }\n  max_size_mb: 100\n  commands:\n    - { name: gpu, run: nvidia-smi, requires: gpu }\n',
  child:
    'description: c\nprofile: cpu\nbase: base\ntests:\n  files: { exist: [/data], absent: [/root/.cache] }\n  imports: { six: "1.16" }\n  commands:\n    - { name: hello, run: "echo hello", output: "^hello$" }\n',
});
const info = (over: Partial<ImageInfo> = {}): ImageInfo => ({
  id: 'sha256:x',
  sizeBytes: 50e6,
  user: '1000:1000',
  env: { A: '1' },
  labels: {},
  repoTags: [],
  repoDigests: [],
  ...over,
});

describe('validate contracts', () => {
  const checks = collectChecks(ws, 'child', ['base']);

  it('inherits the parent checks first, then its own, then non-root and size', () => {
    expect(checks.map((c) => `${c.from}:${c.kind}`)).toEqual([
      'base:command',
      'base:env',
      'child:command',
      'child:file-exists',
      'child:file-absent',
      'child:import',
      'child:non-root',
      'base:size',
    ]);
  });

  it('probes files and the uid in one script without any spec command or Python', () => {
    const script = probeScript(checks, (c) => !c.requires);
    expect(script).not.toContain('nvidia-smi');
    expect(script).not.toContain('echo hello');
    expect(script).not.toMatch(/python/);
    expect(checkArgv('echo hello', 7).slice(-2)).toEqual(['7', 'echo hello']);
  });

  it('evaluates the probe and the per-check results', () => {
    const out = ['@@file 3 1', '@@file 4 0', '@@uid 1000'].join('\n');
    const results = parseResults(out);
    results.imports.six = importResult(0, 'import noise\n1.16.0\n');
    results.commands.set(2, { code: 0, output: 'hello', match: 'match' });
    const cases = evaluateChecks(checks, info(), results, undefined, new Set());
    expect(cases.map((c) => c.status)).toEqual([
      'skipped',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
      'passed',
    ]);
    expect(cases[0]!.message).toMatch(/needs an NVIDIA GPU, which this host does not have/);
  });

  it('fails with a reason naming what is wrong', () => {
    const out = ['@@file 3 0', '@@file 4 1', '@@uid 0'].join('\n');
    const results = parseResults(out);
    results.imports.six = importResult(0, '1.15.0\n');
    results.commands.set(2, { code: 1, output: 'nope', match: 'no-match' });
    const cases = evaluateChecks(
      checks,
      info({ env: {}, sizeBytes: 200e6, user: '' }),
      results,
      undefined,
      new Set(),
    );
    const failed = Object.fromEntries(
      cases.filter((c) => c.status === 'failed').map((c) => [c.name, c.message]),
    );
    expect(failed['env A=1']).toMatch(/A is not set, expected "1"/);
    expect(failed.hello).toMatch(/exit code 1, expected 0; output: nope/);
    expect(failed['/data exists']).toMatch(/does not exist/);
    expect(failed['/root/.cache is absent']).toMatch(/exists in the image/);
    expect(failed['import six (1.16*)']).toMatch(/version 1\.15\.0, expected 1\.16\*/);
    expect(failed['runs as a non-root user']).toMatch(/set a non-root USER/);
    expect(failed['image size <= 100 MB']).toMatch(/200\.0 MB exceeds/);
  });

  it('names a check that timed out, and a pattern too slow to evaluate with its image and file', () => {
    const results = parseResults('@@uid 1000');
    results.commands.set(2, { code: 124, output: 'waiting', timedOutAfter: 5 });
    const hung = evaluateChecks(checks, info(), results, undefined, new Set());
    expect(hung[2]!.message).toMatch(
      /^timed out after 5 s and was stopped .*IMAGESMITH_CHECK_TIMEOUT/,
    );
    results.commands.set(2, { code: 0, output: 'hello', match: 'timeout' });
    const slow = evaluateChecks(checks, info(), results, undefined, new Set());
    expect(slow[2]!.message).toMatch(
      /output pattern \/\^hello\$\/ of image child took too long .*tests\.commands "hello"\.output in images\/child\/image\.yaml/,
    );
  });

  it("derives file checks from the spec's cmd/entrypoint, naming the field and the spec file", () => {
    const served = workspaceOf({
      runner: 'description: r\nprofile: cpu\npython: "3.11"\nentrypoint: ["/usr/bin/python3"]\n',
      app: 'description: a\nprofile: cpu\nbase: runner\ncmd: ["/app/main.py"]\n',
    });
    const derived = collectChecks(served, 'app', ['runner']).filter((c) => c.path);
    expect(derived).toMatchObject([
      {
        from: 'runner',
        kind: 'file-exists',
        path: '/usr/bin/python3',
        executable: true,
        name: 'entrypoint[0] /usr/bin/python3 exists and is executable (images/runner/image.yaml)',
      },
      {
        from: 'app',
        kind: 'file-exists',
        path: '/app/main.py',
        name: 'cmd[0] /app/main.py exists (images/app/image.yaml)',
      },
    ]);
    expect(derived[1]!.executable).toBeUndefined();
    // The probe tests the program for an executable file, the script for a path that exists.
    const script = probeScript(derived);
    expect(script).toContain(`[ -f '/usr/bin/python3' ] && [ -x '/usr/bin/python3' ]`);
    expect(script).toContain(`[ -e '/app/main.py' ]`);
  });

  it('puts the derived check in the contract hash and fails it naming cmd', () => {
    const spec = (cmd: string) =>
      workspaceOf({ app: `description: a\nprofile: cpu\npython: "3.11"\ncmd: ${cmd}\n` });
    const ok = collectChecks(spec('["python", "/app/main.py"]'), 'app', []);
    const moved = collectChecks(spec('["python", "/app/serve.py"]'), 'app', []);
    const module = collectChecks(spec('["uvicorn", "app.main:app"]'), 'app', []);
    expect(contractHash(ok)).not.toBe(contractHash(moved));
    expect(module.map((c) => c.kind)).toEqual(['non-root']);
    const exec = collectChecks(spec('["/app/serve"]'), 'app', []);
    const cases = evaluateChecks(
      [...ok, ...exec],
      info(),
      parseResults('@@file 0 0\n@@file 2 0\n@@uid 1000'),
      undefined,
      new Set(),
    );
    expect(cases[0]).toMatchObject({
      status: 'failed',
      name: 'cmd[1] /app/main.py exists (images/app/image.yaml)',
      message: '/app/main.py does not exist in the image',
    });
    expect(cases[2]).toMatchObject({
      status: 'failed',
      message: '/app/serve is not an executable file in the image (for its user)',
    });
  });
});
