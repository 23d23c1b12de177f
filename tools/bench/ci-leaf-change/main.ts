/** The CI leaf benchmark's run: set-up, interleaved rounds, the report (see ../ci-leaf-change.ts). */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commit } from '../../testkit/temp-workspace';
import { sourceRevision } from '../bench-workspace';
import { cli, createFixture, machine, timed } from '../engine-fixture';
import {
  builders,
  cacheIdsAtStart,
  cacheRecords,
  freshCheckout,
  freshRunner,
} from './fresh-runner';
import { noopRound, type NoopRuns } from './noop';
import { report } from './report';
import { dk, nx } from './run';
import {
  ACTIVE,
  type Case,
  EXTRA,
  HAS_REMOTE,
  LEAF,
  PARENT,
  REMOTE_BUILDER,
  repos,
  ROUNDS,
  type Sample,
  TREE,
  work,
} from './settings';
import { parentRef, runWay } from './ways';
import { leafSpec, readChild, withoutPlugin, type Workspaces, writeChild } from './workspaces';

export async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const reg = createFixture('leaf-reg', TREE);
  const eng = createFixture('leaf-eng', TREE);
  const rem = createFixture('leaf-remote', TREE);
  repos.reg = reg.repo;
  repos.eng = eng.repo;
  repos.remote = rem.repo;
  const ws: Workspaces = {
    reg: reg.root,
    remote: rem.root,
    eng: eng.root,
    floorNx: join(work, 'floor-nx'),
  };
  const samples: Record<string, Sample[]> = {};
  const noop: NoopRuns = {
    imagesmith: [],
    nx: [],
  };
  try {
    const started = new Date();
    console.log(
      `date: ${started.toISOString()}; product at ${sourceRevision()}; rounds: ${ROUNDS}`,
    );
    console.log(
      `machine: ${machine()}, buildx ${dk('buildx', 'version').split(' ')[1]}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (shared with other engineers' jobs)`,
    );
    console.log(
      `builder: buildx default (docker driver, containerd image store) for every way; ${HAS_REMOTE ? `${REMOTE_BUILDER} (remote driver, standalone buildkitd) exists: one more imagesmith way on it` : `${REMOTE_BUILDER} does not exist (docker buildx inspect fails): no remote-BuildKit way`}`,
    );
    console.log(
      'bake: buildx 0.13.1 bake cannot set `network` (unknown key, also through --set) and RUN needs the host network here: measured as buildx build per target with the same registry cache',
    );

    // Set-up: lock both package states of the child once (Poetry, from PyPI), commit the first.
    const [, lockSecs] = timed(() =>
      nx(ws.reg, {}, undefined, 'run-many', '-t', 'lock', `--projects=${PARENT},${LEAF}`),
    );
    cli(ws.reg, 'generate', '--all');
    const stateP = readChild(ws.reg);
    writeFileSync(join(ws.reg, 'images', LEAF, 'image.yaml'), leafSpec(true));
    cli(ws.reg, 'lock', LEAF);
    cli(ws.reg, 'generate', '--all');
    const stateQ = readChild(ws.reg);
    let withExtra = false;
    let description = 'scientific Python plus a table printer';
    const apply = (message: string) => {
      for (const root of [ws.reg, ws.eng, ws.remote]) {
        if (root !== ws.reg)
          cpSync(join(ws.reg, 'images', PARENT), join(root, 'images', PARENT), {
            recursive: true,
            filter: (p) => !p.includes('.imagesmith'),
          });
        writeChild(root, withExtra ? stateQ : stateP, description);
        commit(root, message);
      }
    };
    apply('locked');
    withoutPlugin(ws.reg, ws.floorNx);
    console.log(
      `set-up: lock ${lockSecs.toFixed(1)}s (both images); the (b) state adds ${EXTRA.name} to ${LEAF}, locked once`,
    );

    // Every way builds the starting commit once, so each has the registry state its CI would have.
    for (const b of builders()) cacheIdsAtStart.set(b, new Set(cacheRecords(b).map((r) => r.id)));
    const setupTimes: string[] = [];
    // Not pruned between them: set-up only seeds each way's registry state, and the shared cache
    // spares four cold builds.
    freshRunner();
    for (const w of ACTIVE.map((a) => a.id).filter((id) => id !== 'floor')) {
      const s = runWay(w, { ...ws }, 'setup', '');
      setupTimes.push(`${w} ${s.total.toFixed(1)}s`);
    }
    // The first affected run built both (HEAD~1 is the fixture commit): both are in the registry now.
    const parent = parentRef(ws);
    freshRunner();
    runWay('floor', ws, 'setup', parent);
    console.log(`set-up builds (the first cold, the rest on its cache): ${setupTimes.join(', ')}`);

    for (let round = 0; round < ROUNDS; round++) {
      for (const c of ['a', 'b'] as Case[]) {
        if (c === 'a') description = `scientific Python plus a table printer (round ${round + 1})`;
        else withExtra = !withExtra;
        apply(`round ${round + 1} case ${c}`);
        const order = ACTIVE.map((_, i) => ACTIVE[(i + round) % ACTIVE.length]!);
        for (const way of order) {
          freshRunner();
          for (const root of [ws.reg, ws.eng, ws.remote]) freshCheckout(root);
          let s: Sample;
          try {
            s = runWay(way.id, ws, c, parent);
          } catch (error) {
            // One way failing (a registry hiccup under load) must not lose the run: say so, go on.
            console.log(
              `round ${round + 1} (${c}) ${way.id}: FAILED, not counted: ${String(error).slice(0, 1500)}`,
            );
            continue;
          }
          (samples[`${c}:${way.id}`] ??= []).push(s);
          console.log(
            `round ${round + 1} (${c}) ${way.id.padEnd(6)} ${s.total.toFixed(1).padStart(6)}s  ${Object.entries(
              s.parts,
            )
              .map(([k, v]) => `${k} ${v.toFixed(1)}`)
              .join(', ')}; builds ${s.builds}${s.note ? `; ${s.note}` : ''}`,
          );
        }
      }
      // No-op: nothing changed since the last commit that CI built.
      noopRound(ws, round, noop);
      if (round + 1 < ROUNDS) report(samples, noop, started);
    }

    report(samples, noop, started);
    rmSync(join(work, 'interim'), { force: true });
  } finally {
    freshRunner();
    for (const root of [ws.reg, ws.eng, ws.remote]) rmSync(root, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}
