import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLock, renderPyproject, renderRequirements, runPoetryLock } from '@imagesmith/lock';
import type { Engine } from '../libs/engine/src/index';
import { REGISTRY, requireEngine } from './support/engine-env';
import { startIndex, type PypiIndex } from './support/pypi-index';

// The whole chain a catalogue image relies on: Poetry locks against an index, the requirements
// carry the wheels' sha256, and `pip install --require-hashes` in a real build refuses a wheel
// whose bytes changed, even when the index itself advertises the new hash.
const BASE = `${REGISTRY}/library/python:3.11-slim-bookworm`;
const DOCKERFILE = `FROM ${BASE}
ARG INDEX_URL
# A new NONCE per build: the tampered-wheel build must run pip again, not reuse the cached layer.
ARG NONCE
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt /tmp/requirements.txt
RUN echo "build $NONCE" \\
 && python3 -m venv /opt/venv \\
 && /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps --index-url "$INDEX_URL" -r /tmp/requirements.txt \\
 && /opt/venv/bin/python -c "import a, b; print('installed', a.__version__, b.__version__)"
`;

const hasPoetry = spawnSync('poetry', ['--version'], { stdio: 'ignore' }).status === 0;

let engine: Engine | undefined;
let skipReason: string | undefined;
let index: PypiIndex | undefined;
const dir = mkdtempSync(join(tmpdir(), 'imagesmith-hash-check-'));
const tag = `imagesmith-test/lock-hash-check:${process.pid}`;

beforeAll(async () => {
  const got = await requireEngine(); // throws in CI when there is no engine
  if ('skip' in got) skipReason = got.skip;
  else engine = got.engine;
  if (!hasPoetry && process.env.CI !== 'true')
    skipReason ??= "poetry is not on PATH (pip install 'poetry>=2,<3')";
  if (skipReason) return;

  index = await startIndex([
    { name: 'a', version: '1.0', deps: ['b>=1'] },
    { name: 'b', version: '2.0' },
  ]);
  const input = {
    name: 'hash-check',
    description: 'e2e',
    python: '3.11',
    packages: { a: '*' },
    sources: [{ name: 'local', url: index.url, priority: 'primary' as const, packages: [] }],
  };
  writeFileSync(join(dir, 'pyproject.toml'), renderPyproject(input));
  await runPoetryLock({ dir, env: { POETRY_CACHE_DIR: join(dir, '.poetry-cache') } });
  const pkgs = parseLock(readFileSync(join(dir, 'poetry.lock'), 'utf8'));
  writeFileSync(
    join(dir, 'requirements.txt'),
    renderRequirements(pkgs, { groups: ['main'], header: 'hash-check' }),
  );
  writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
  writeFileSync(join(dir, '.dockerignore'), '.poetry-cache\n');
});

afterAll(async () => {
  await engine?.remove(tag).catch(() => undefined);
  await index?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function build(nonce: string): Promise<{ ok: boolean; output: string }> {
  const lines: string[] = [];
  try {
    await engine!.build({
      contextDir: dir,
      dockerfile: join(dir, 'Dockerfile'),
      tags: [tag],
      network: 'host', // RUN reaches the index on 127.0.0.1
      buildArgs: { INDEX_URL: index!.url, NONCE: nonce },
      onOutput: (l) => lines.push(l),
    });
    return { ok: true, output: lines.join('\n') };
  } catch (error) {
    return { ok: false, output: `${lines.join('\n')}\n${String(error)}` };
  }
}

describe('requirements from a Poetry lock, installed with pip --require-hashes in a build', () => {
  it('installs the locked wheels', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const result = await build(`ok-${Date.now()}`);
    expect(result.output).toContain('installed 1.0 2.0');
    expect(result.ok).toBe(true);
  });

  it('fails with a hash mismatch when a wheel is replaced by different bytes', async (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    const original = readFileSync(index!.wheelPath('b', '2.0'));
    // Same file name, new bytes; the index page advertises the new hash, so only the lock's hash can catch it.
    index!.add([{ name: 'b', version: '2.0', content: 'tampered' }]);
    expect(readFileSync(index!.wheelPath('b', '2.0')).equals(original)).toBe(false);

    const result = await build(`tampered-${Date.now()}`);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/DO NOT MATCH THE HASHES/);
    expect(result.output).toMatch(/b==2\.0/);
  });
});
