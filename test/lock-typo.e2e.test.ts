/**
 * Issue 16: a misspelt package (`orjsno`) got Poetry's "relax the conflicting constraints". Now
 * the index is asked and the message names the package, the index, the spec file, line and field,
 * and the likeliest meant name. Real CLI, real Poetry, a local PEP 503 index (offline).
 * Needs Poetry (skips without it outside CI; fails in CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIndex, type PypiIndex } from './support/pypi-index';
import {
  createTempWorkspace,
  git,
  NX_ENV,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';
import { poetrySkipReason } from './support/poetry';

const skipReason = poetrySkipReason();

const SPEC = `description: typo
profile: cpu
python: "3.11"
version: "1.0"
python_packages: { orjsno: ">=3" }
`;

let index: PypiIndex | undefined;
let root = '';

function cli(...args: string[]) {
  const r = spawnSync('node', ['tools/imagesmith/bin/imagesmith.cjs', ...args], {
    cwd: root,
    env: {
      ...NX_ENV,
      IMAGESMITH_PIP_INDEX: index!.url,
      POETRY_CACHE_DIR: join(root, '.poetry-cache'),
    } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  return { code: r.status ?? -1, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  if (skipReason) return;
  index = await startIndex([{ name: 'orjson', version: '3.10.0' }]);
  // Committed with the right name; the test misspells it, as a user editing the spec would.
  root = createTempWorkspace({ typo: SPEC.replace('orjsno', 'orjson') });
}, 300_000);

afterAll(async () => {
  await index?.stop();
  if (root) removeWorkspace(root);
});

describe('a misspelt package', () => {
  it('says no such package on the index, at the spec field, and suggests the real name', (ctx) => {
    if (skipReason) ctx.skip(skipReason);
    writeFile(root, 'images/typo/image.yaml', SPEC);
    const r = cli('lock', 'typo');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(
      `images/typo/image.yaml:5:20: python_packages.orjsno: no such package \`orjsno\` on ${index!.url}`,
    );
    expect(r.out).toMatch(/hint: did you mean `orjson`\?/);
    expect(r.out).not.toMatch(/Relax the conflicting constraints|exit code 70/);
    expect(existsSync(join(root, 'images/typo/poetry.lock'))).toBe(false);
    // Nothing was written: not the lock, not the files generated from the edited spec.
    expect(git(root, 'status', '--short')).toBe(' M images/typo/image.yaml\n');
  }, 180_000);
});
