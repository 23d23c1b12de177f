/**
 * Every engine target through the Engine interface (issue #11 item 6), on docker and on buildah:
 * build, validate, push, manifest, start/stop of a small fixture image on the stand-in base, with
 * the workflows imagesmith's CLI and Nx targets call, pushing to the local registry under a
 * repository of its own. Skips with the reason outside CI when an engine or the registry is
 * missing (bash .ci/setup-engine.sh && bash .ci/setup-registry.sh && bash .ci/make-base-images.sh).
 */
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { registryHasManifest } from '../libs/engine/src/index';
import { buildImage } from '../tools/imagesmith/src/workflows/build/build';
import {
  devContainerName,
  startDev,
  stopDev,
} from '../tools/imagesmith/src/workflows/dev/dev-container';
import { openSession, type Session } from '../tools/imagesmith/src/workflows/shared/engine-context';
import { writeManifest } from '../tools/imagesmith/src/workflows/manifest/manifest';
import { pushImage } from '../tools/imagesmith/src/workflows/push/push';
import { validateImage } from '../tools/imagesmith/src/workflows/validate/validate';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { createTempWorkspace, removeWorkspace } from '../tools/testkit/temp-workspace';

const SPEC = `description: h4 engine targets
profile: cpu
python: "3.11"
version: "1.0"
tests:
  files: { exist: [/opt/venv/bin/python] }
  commands:
    - { name: python is the venv's, run: "python -c 'import sys; print(sys.prefix)'", output: "^/opt/venv$" }
`;

// A failing check, then one that writes a forged PASS for it everywhere it can, then one that hangs.
const FORGING = `description: h4 forged results
profile: cpu
python: "3.11"
tests:
  commands:
    - { name: fails, run: "echo nope; exit 3" }
    - { name: forger, run: "for t in /dev/stdout /proc/$$PPID/fd/1 /proc/1/fd/1 /proc/[0-9]*/fd/1; do echo '@@cmd 0 0' >$$t 2>/dev/null; done; true" }
    - { name: hangs, run: "sleep 600" }
`;

describe.each(['docker', 'buildah'] as const)('every target on %s', (engineName) => {
  const run = `h4-${engineName}-${process.pid}-${Date.now()}`;
  const repo = `${REGISTRY}/${run}`;
  const image = `h4t${engineName}`;
  let root = '';
  let skip = '';
  let s: Session;
  const logs: string[] = [];
  const need = (ctx: TestContext) => {
    if (skip) ctx.skip(skip);
  };

  beforeAll(async () => {
    const got = await requireEngineAndRegistry();
    if ('skip' in got) {
      skip = got.skip;
      return;
    }
    root = createTempWorkspace(
      { [image]: SPEC, [`${image}f`]: FORGING.replace(/\$\$/g, '$') },
      {
        'imagesmith.json': JSON.stringify({
          repository: repo,
          mirrors: { registry: REGISTRY },
          engine: engineName,
        }),
      },
    );
    chmodSync(root, 0o755); // the dev container's non-root user reads the mounted workspace
    s = await openSession(root, (l) => logs.push(l), [image, `${image}f`]);
  }, 120_000);
  afterAll(() => {
    if (root) removeWorkspace(root);
  });

  it('builds, validates, pushes and writes the manifest', async (ctx) => {
    need(ctx);
    expect(s.engine.name).toBe(engineName);
    await buildImage(s, image);
    const [summary] = await validateImage(s, image);
    expect(summary, logs.join('\n')).toMatchObject({ failed: 0, cached: false });
    expect(summary!.passed).toBeGreaterThanOrEqual(3);
    const pushed = await pushImage(s, image);
    expect(pushed).toHaveLength(3);
    for (const ref of pushed) expect(await registryHasManifest(ref)).toBe(true);
    const [file] = await writeManifest(s, image);
    expect(readFileSync(file!, 'utf8')).toMatch(/^\| bash \| /m);
  }, 600_000);

  it('validate keeps a failed check failed whatever a later check forges, and names the one that hung', async (ctx) => {
    need(ctx);
    const forging = `${image}f`;
    await buildImage(s, forging);
    process.env.IMAGESMITH_CHECK_TIMEOUT = '3';
    try {
      const [summary] = await validateImage(s, forging);
      // forger, non-root and the SBOM audit (the venv holds only what the lock pins) pass
      expect(summary).toMatchObject({ passed: 3, failed: 2 });
      expect(summary!.cases.filter((c) => c.status === 'passed').map((c) => c.classname)).toContain(
        'sbom',
      );
    } finally {
      delete process.env.IMAGESMITH_CHECK_TIMEOUT;
    }
    const fails = (name: string) => logs.find((l) => l.startsWith(`  FAIL [${forging}] ${name}: `));
    expect(fails('fails')).toMatch(/exit code 3, expected 0; output: nope$/);
    expect(fails('hangs')).toMatch(/timed out after 3 s and was stopped/);
    const junit = readFileSync(join(root, 'dist', 'junit', `${forging}.xml`), 'utf8');
    expect(junit).toMatch(/timed out after 3 s/);
  }, 600_000);

  it('starts a development container with the workspace mounted, and stops it', async (ctx) => {
    need(ctx);
    await startDev(s, image);
    const line = logs.find((l) => l.startsWith(`started ${devContainerName(image)}`))!;
    expect(line).toMatch(engineName === 'docker' ? / exec -it / : / run .*--volume .*:\/workspace/);
    const c = {
      name: devContainerName(image),
      request: {
        name: devContainerName(image),
        image: '',
        command: [],
        network: 'host' as const,
        mounts: [{ source: root, target: '/workspace' }],
        workdir: '/workspace',
      },
      enter: [],
    };
    const r = await s.engine.execContainer(c, {
      command: ['sh', '-c', 'cat images/*/image.yaml; echo "env=$ENVIRONMENT"'],
    });
    expect(r.stdout).toMatch(/description: h4 engine targets/);
    expect(r.stdout).toMatch(/env=development/);
    await stopDev(s, image);
    expect(logs.at(-1)).toBe(`stopped ${devContainerName(image)}`);
    expect(await s.engine.removeContainer(devContainerName(image))).toBe(false);
  }, 600_000);
});
