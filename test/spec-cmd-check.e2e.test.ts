/**
 * The spec's cmd is checked on real docker (issue 16): a cmd that runs a script copied in with
 * `files:` passes validate (the program is an executable file for uid 1000), and a cmd naming a
 * path that is not in the image fails validate, naming `cmd` and the spec file it came from.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { buildImage } from '../tools/imagesmith/src/workflows/build/build';
import { openSession, type Session } from '../tools/imagesmith/src/workflows/shared/engine-context';
import { validateImage } from '../tools/imagesmith/src/workflows/validate/validate';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const spec = (cmd: string) => `description: spec cmd fixture
profile: cpu
python: "3.11"
files:
  - { src: app/, dest: /app }
cmd: ${cmd}
`;

describe('spec cmd checked by validate on docker', () => {
  const ok = `scmd${process.pid}`;
  const missing = `scmdmissing${process.pid}`;
  const logs: string[] = [];
  let root = '';
  let skip = '';
  let s: Session;
  const need = (ctx: TestContext) => {
    if (skip) ctx.skip(skip);
  };

  beforeAll(async () => {
    const got = await requireEngineAndRegistry();
    if ('skip' in got || got.engine.name !== 'docker') {
      skip = 'skip' in got ? got.skip : `needs docker, not ${got.engine.name}`;
      return;
    }
    const app = {
      'app/serve.sh': '#!/bin/sh\nexec python /app/main.py\n',
      'app/main.py': 'print(1)\n',
    };
    const files = (image: string) =>
      Object.fromEntries(Object.entries(app).map(([p, text]) => [`images/${image}/${p}`, text]));
    root = createTempWorkspace(
      { [ok]: spec('["/app/serve.sh"]'), [missing]: spec('["python", "/app/missing.py"]') },
      {
        ...files(ok),
        ...files(missing),
        'imagesmith.json': JSON.stringify({
          repository: `${REGISTRY}/scmd-${process.pid}`,
          mirrors: { registry: REGISTRY },
          engine: 'docker',
        }),
      },
    );
    chmodSync(join(root, 'images', ok, 'app', 'serve.sh'), 0o755);
    s = await openSession(root, (l) => logs.push(l), [ok, missing]);
  }, 120_000);
  afterAll(() => {
    if (root) removeWorkspace(root);
  });

  it('passes a cmd that runs a copied script and fails one naming a missing path', async (ctx) => {
    need(ctx);
    await buildImage(s, ok);
    const [passed] = await validateImage(s, ok);
    expect(passed, logs.join('\n')).toMatchObject({ failed: 0 });
    expect(passed!.cases.map((c) => c.name)).toContain(
      `cmd[0] /app/serve.sh exists and is executable (images/${ok}/image.yaml)`,
    );

    await buildImage(s, missing);
    logs.length = 0;
    const [failed] = await validateImage(s, missing);
    expect(failed, logs.join('\n')).toMatchObject({ failed: 1 });
    expect(logs).toContain(
      `  FAIL [${missing}] cmd[1] /app/missing.py exists (images/${missing}/image.yaml): /app/missing.py does not exist in the image`,
    );
  }, 600_000);
});
