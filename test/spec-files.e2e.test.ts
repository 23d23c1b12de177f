/**
 * spec `files:` on real docker (issue 16): the file is in the image, root's and not writable by
 * the runtime user (uid 1000), and editing it changes the content tag (it is part of the hash).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveVariants } from '@imagesmith/core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { buildImage } from '../tools/imagesmith/src/workflows/build/build';
import { planBuild } from '../tools/imagesmith/src/workflows/shared/build-plan';
import {
  contextReader,
  openSession,
  type Session,
} from '../tools/imagesmith/src/workflows/shared/engine-context';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const SPEC = `description: spec files fixture
profile: cpu
python: "3.11"
files:
  - { src: app/, dest: /app }
cmd: ["python", "/app/main.py"]
`;

describe('spec files on docker', () => {
  const image = `sfiles${process.pid}`;
  let root = '';
  let skip = '';
  let s: Session;
  const need = (ctx: TestContext) => {
    if (skip) ctx.skip(skip);
  };
  const contentRef = () =>
    planBuild(s.ws, s.config, resolveVariants(s.ws, image)[0]!, 'production', contextReader(root))
      .refs.content;
  const inImage = (ref: string, script: string) =>
    execFileSync(
      s.engine.binary,
      ['run', '--rm', '--network', 'none', '--entrypoint', 'sh', ref, '-c', script],
      { encoding: 'utf8' },
    ).trim();

  beforeAll(async () => {
    const got = await requireEngineAndRegistry();
    if ('skip' in got || got.engine.name !== 'docker') {
      skip = 'skip' in got ? got.skip : `needs docker, not ${got.engine.name}`;
      return;
    }
    root = createTempWorkspace(
      { [image]: SPEC },
      {
        [`images/${image}/app/main.py`]: 'print("one")\n',
        'imagesmith.json': JSON.stringify({
          repository: `${REGISTRY}/sfiles-${process.pid}`,
          mirrors: { registry: REGISTRY },
          engine: 'docker',
        }),
      },
    );
    s = await openSession(root, () => {}, [image]);
  }, 120_000);
  afterAll(() => {
    if (root) removeWorkspace(root);
  });

  it("copies the image folder's files in, root's and read-only for uid 1000; an edit moves the tag", async (ctx) => {
    need(ctx);
    await buildImage(s, image);
    const first = contentRef();
    expect(
      inImage(
        first,
        'stat -c "%u:%g %a" /app /app/main.py; id -u; (echo x >>/app/main.py) 2>/dev/null && echo writable || echo read-only; python /app/main.py',
      ).split('\n'),
    ).toEqual(['0:0 755', '0:0 644', '1000', 'read-only', 'one']);

    writeFileSync(join(root, 'images', image, 'app', 'main.py'), 'print("two")\n');
    const second = contentRef();
    expect(second).not.toBe(first);
    await buildImage(s, image);
    expect(inImage(second, 'python /app/main.py')).toBe('two');
  }, 600_000);
});
