/**
 * Benchmark: nothing changed. `nx run-many -t build,validate` (engine builds skipped by content
 * hash, validate results reused per image id and contract) versus `docker build` of every image
 * plus the same checks run in containers, as a Makefile would. Counts containers started; engine
 * builds are counted from the engine's events. Nx with its defaults (plugin isolation on),
 * NX_DAEMON=false as in CI.
 * Run: npx tsx tools/bench/noop-build-validate.ts
 */
import { rmSync } from 'node:fs';
import { engineBuildsDuring } from '../testkit/engine-builds';
import {
  cli,
  createFixture,
  docker,
  machine,
  makefileBuildAll,
  nx,
  ORDER,
  pruneEngine,
  timed,
} from './engine-fixture';

const CHECKS: Record<string, string[][]> = {
  base: [
    ['python', '-c', 'import six, idna'],
    ['test', '-e', '/usr/bin/git'],
    ['python', '-c', 'print(1)'],
    ['id', '-u'],
  ],
  child: [
    ['python', '-c', 'import six, idna'],
    ['test', '-e', '/usr/bin/git'],
    ['test', '-e', '/data'],
    ['id', '-u'],
  ],
  gpu: [
    ['python', '--version'],
    ['id', '-u'],
  ],
};

async function main(): Promise<void> {
  const { root, repo } = createFixture('noop');
  try {
    console.log(`machine: ${machine()}`);
    nx(root, 'run-many', '-t', 'lock', '--projects=base');
    // CI=true: Nx does not sync before tasks, so render what the lock changed, as a commit would.
    cli(root, 'generate', '--all');
    nx(root, 'run-many', '-t', 'build,validate');
    const {
      result: [out, ours],
      builds: engineBuilds,
    } = await engineBuildsDuring(repo, () =>
      timed(() => nx(root, 'run-many', '-t', 'build,validate')),
    );
    const cachedValidations = (out.match(/cached, no container started/g) ?? []).length;
    const builds = engineBuilds.length;
    console.log(
      `imagesmith no-op build,validate: ${ours.toFixed(2)}s, ${builds} engine builds, ${cachedValidations}/3 contracts reused without starting a container`,
    );
    makefileBuildAll(root, repo, false);
    let containers = 0;
    const [, theirs] = timed(() => {
      makefileBuildAll(root, repo, false);
      for (const image of ORDER) {
        for (const check of CHECKS[image]!) {
          docker('run', '--rm', '--network', 'none', `makefile/${image}:latest-build`, ...check);
          containers += 1;
        }
      }
    });
    console.log(
      `Makefile way (docker build x3 with a warm layer cache + each check in a container): ${theirs.toFixed(2)}s, ${containers} containers started`,
    );
    console.log(`ratio: ${(theirs / ours).toFixed(1)}x`);
  } finally {
    pruneEngine(repo);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
