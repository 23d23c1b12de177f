/**
 * Benchmark, the CI case that matters: a runner with no layer cache (engine pruned), a fresh
 * checkout (no .nx, no .imagesmith state), one leaf image changed. Nx with its defaults (plugin
 * isolation on, NX_DAEMON=false as in CI).
 *   imagesmith: `nx affected -t build` - only the leaf builds; its parent is confirmed in the
 *               registry by its content-hash tag and pulled as the leaf's FROM, not rebuilt.
 *   Makefile:   `docker build` of every image, once cold and once with --cache-from the
 *               registry's inline cache.
 * Engine builds are counted from the engine's own events, not from anything imagesmith writes.
 * Trees: `scientific` (default: numpy, pandas, scikit-learn locked from PyPI, and a child with one
 * small package) or `small` (the end-to-end fixture).
 * Run: npx tsx tools/bench/ci-leaf-change.ts [scientific|small]
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  cli,
  createFixture,
  engineBuilds,
  engineNow,
  machine,
  makefileBuildAll,
  nx,
  pruneEngine,
  SCIENTIFIC,
  SMALL,
  timed,
  touchLeaf,
} from './engine-fixture';

const which = process.argv[2] ?? 'scientific';
const tree = which === 'small' ? SMALL : SCIENTIFIC;
const locked = tree.order.filter((image) => tree.images[image]!.includes('python_packages'));

/** Wall seconds and the images the engine built meanwhile (references under the prefixes). */
function measure(prefixes: string[], fn: () => string | void): [number, string[], string] {
  const since = engineNow();
  const [out, secs] = timed(fn);
  const until = (Date.now() / 1000 + 1).toFixed(3);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100); // let --until pass
  return [secs, engineBuilds(since, until, prefixes), out ?? ''];
}

/** A CI runner's fresh checkout: no Nx cache or workspace data, no local imagesmith state. */
function freshCheckout(root: string): void {
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(join(root, '.imagesmith'), { recursive: true, force: true });
  for (const image of readdirSync(join(root, 'images')))
    rmSync(join(root, 'images', image, '.imagesmith'), { recursive: true, force: true });
}

const { root, repo } = createFixture(`leaf-${which}`, tree);
try {
  console.log(`machine: ${machine()}`);
  console.log(
    `tree: ${which} (${tree.order.join(' -> ')}), leaf ${tree.leaf}; Nx defaults (plugin isolation on), NX_DAEMON=false`,
  );
  const [, lockSecs] = timed(() => nx(root, 'run-many', '-t', 'lock', `--projects=${locked}`));
  cli(root, 'generate', '--all');
  const [first, firstBuilds] = measure([repo], () => nx(root, 'run-many', '-t', 'build'));
  nx(root, 'run-many', '-t', 'push');
  console.log(
    `set-up: lock ${lockSecs.toFixed(1)}s; first build ${first.toFixed(1)}s (${firstBuilds.length} engine builds); pushed to ${repo}`,
  );

  // The change: the leaf's spec only, rendered as the commit would carry it. Nothing committed:
  // affected is computed from the changed file.
  touchLeaf(root, 'one', tree);
  cli(root, 'generate', '--all');
  freshCheckout(root);
  pruneEngine(repo);
  const [ours, ourBuilds, out] = measure([repo], () =>
    nx(root, 'affected', '-t', 'build', `--files=images/${tree.leaf}/image.yaml`),
  );
  if (process.env.BENCH_VERBOSE) console.log(out);
  const row = (way: string, secs: number, builds: string[]) =>
    console.log(
      `| ${way.padEnd(58)} | ${secs.toFixed(1).padStart(6)}s | ${builds.length} (${builds.map((r) => r.replace(/^.*\//, '')).join(', ')}) |`,
    );
  console.log(`| ${'way'.padEnd(58)} | ${'wall'.padStart(7)} | engine builds |`);
  row('imagesmith: nx affected -t build (parent found by hash tag)', ours, ourBuilds);

  pruneEngine(repo);
  const [cold, coldBuilds] = measure(['makefile/'], () =>
    makefileBuildAll(root, repo, false, tree),
  );
  row('Makefile way, cold docker build of every image', cold, coldBuilds);

  pruneEngine(repo);
  const [warm, warmBuilds] = measure(['makefile/'], () => makefileBuildAll(root, repo, true, tree));
  row("Makefile way, --cache-from the registry's inline cache", warm, warmBuilds);
  console.log(
    `ratio: ${(cold / ours).toFixed(1)}x faster than the cold Makefile way, ${(warm / ours).toFixed(1)}x against --cache-from`,
  );
} finally {
  pruneEngine(repo);
  rmSync(root, { recursive: true, force: true });
}
