/**
 * `imagesmith start` on real docker (issue 16): the dev container runs as the workspace's owner
 * (a checkout owned by uid 4321 is writable inside, not only by the image's uid 1000), publishes
 * the spec's ports, and a second start says it is already running instead of an engine error.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import {
  devContainerName,
  startDev,
  stopDev,
} from '../tools/imagesmith/src/workflows/dev/dev-container';
import { openSession, type Session } from '../tools/imagesmith/src/workflows/shared/engine-context';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const PORT = 18000 + (process.pid % 1000);
const SPEC = `description: dev container fixture
profile: cpu
python: "3.11"
ports: [${PORT}]
`;

describe('imagesmith start on docker', () => {
  const image = `devc${process.pid}`;
  let root = '';
  let skip = '';
  let s: Session;
  const logs: string[] = [];
  const need = (ctx: TestContext) => {
    if (skip) ctx.skip(skip);
  };
  const docker = (...args: string[]) =>
    execFileSync(s.engine.binary, args, { encoding: 'utf8' }).trim();

  beforeAll(async () => {
    const got = await requireEngineAndRegistry();
    if ('skip' in got || got.engine.name !== 'docker') {
      skip = 'skip' in got ? got.skip : `needs docker, not ${got.engine.name}`;
      return;
    }
    root = createTempWorkspace(
      { [image]: SPEC },
      {
        'imagesmith.json': JSON.stringify({
          repository: `${REGISTRY}/devc-${process.pid}`,
          mirrors: { registry: REGISTRY },
          engine: 'docker',
        }),
      },
    );
    s = await openSession(root, (l) => logs.push(l), [image]);
  }, 120_000);
  afterAll(async () => {
    if (root) {
      await s.engine.removeContainer(devContainerName(image));
      removeWorkspace(root);
    }
  });

  it('runs as the owner of a checkout owned by uid 4321, publishes ports, and starts once', async (ctx) => {
    need(ctx);
    chownSync(root, 4321, 4321);
    chownSync(join(root, 'images', image), 4321, 4321);
    await startDev(s, image);
    const name = devContainerName(image);
    expect(logs.find((l) => l.startsWith(`started ${name} `))).toMatch(/ as 4321:4321 /);
    const inside = docker(
      'exec',
      name,
      'sh',
      '-c',
      `id -u && touch /workspace/from-inside images/${image}/from-inside && echo ok >"$HOME/probe" && echo home-ok`,
    );
    expect(inside).toBe('4321\nhome-ok');
    expect(statSync(join(root, 'from-inside')).uid).toBe(4321);
    expect(statSync(join(root, 'images', image, 'from-inside')).uid).toBe(4321);

    expect(docker('port', name)).toBe(`${PORT}/tcp -> 127.0.0.1:${PORT}`);
    expect(logs).toContain(`published on this machine: 127.0.0.1:${PORT}`);

    const before = docker('inspect', '--format', '{{.Id}}', name);
    logs.length = 0;
    await startDev(s, image);
    expect(logs).toEqual([
      `${name} is already running; enter it with: ${s.engine.binary} exec -it ${name} bash; stop it with: nx run ${image}:stop`,
    ]);
    expect(docker('inspect', '--format', '{{.Id}}', name)).toBe(before);
    await stopDev(s, image);
    expect(logs.at(-1)).toBe(`stopped ${name}`);
  }, 600_000);
});
