/**
 * Benchmark, the CI case that matters: an engine with no layer cache (pruned), one leaf image of
 * the end-to-end fixture changed.
 *   imagesmith: `nx affected -t build` - only the leaf builds; its parent is confirmed in the
 *               registry by its content-hash tag and pulled as the leaf's FROM, not rebuilt.
 *   Makefile:   `docker build` of every image, once cold and once with --cache-from the
 *               registry's inline cache.
 * Prints wall seconds and ratios. Run: npx tsx tools/bench/ci-leaf-change.ts
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFixture,
  machine,
  makefileBuildAll,
  nx,
  pruneEngine,
  timed,
  touchLeaf,
} from './engine-fixture';

const { root, repo } = createFixture('leaf');
try {
  console.log(`machine: ${machine()}`);
  nx(root, 'run-many', '-t', 'lock', '--projects=base');
  const [, first] = timed(() => nx(root, 'run-many', '-t', 'build'));
  nx(root, 'run-many', '-t', 'push');
  console.log(`set-up: first build of 3 images ${first.toFixed(1)}s, pushed to ${repo}`);
  // Make the change and commit nothing: affected is computed from the changed file.
  touchLeaf(root, 'one');
  pruneEngine(repo);
  rmSync(join(root, '.imagesmith'), { recursive: true, force: true });
  const [out, ours] = timed(() =>
    nx(root, 'affected', '-t', 'build', '--files=images/child/image.yaml'),
  );
  const built = (out.match(/: building /g) ?? []).length;
  if (process.env.BENCH_VERBOSE) console.log(out);
  console.log(
    `imagesmith (affected only, parents confirmed by content-hash tag): ${ours.toFixed(1)}s, ${built} engine build(s)`,
  );
  pruneEngine(repo);
  const [, cold] = timed(() => makefileBuildAll(root, repo, false));
  console.log(
    `Makefile way, cold (docker build of every image):              ${cold.toFixed(1)}s, 3 engine builds`,
  );
  pruneEngine(repo);
  const [, warm] = timed(() => makefileBuildAll(root, repo, true));
  console.log(
    `Makefile way, --cache-from the registry's inline cache:        ${warm.toFixed(1)}s, 3 engine builds`,
  );
  console.log(
    `ratio: ${(cold / ours).toFixed(1)}x faster than the cold Makefile way, ${(warm / ours).toFixed(1)}x faster than with --cache-from`,
  );
} finally {
  pruneEngine(repo);
  rmSync(root, { recursive: true, force: true });
}
