/**
 * Benchmark, the CI case that matters: a runner with no layer cache (engine pruned), a fresh
 * checkout (no .nx, no .imagesmith state), one leaf image changed. Nx with its defaults (plugin
 * isolation on, NX_DAEMON=false as in CI).
 *   imagesmith: `nx affected -t build` - only the leaf builds; its parent is confirmed in the
 *               registry by its content-hash tag and pulled as the leaf's FROM, not rebuilt.
 *   Makefile:   `docker build` of every image, once cold and once with --cache-from the
 *               registry's inline cache.
 * imagesmith's engine builds are counted from the engine's own image events
 * (test/support/engine-builds.ts), not from anything imagesmith writes; the Makefile way runs one
 * `docker build` per image by construction.
 * Trees: `scientific` (default: numpy, pandas, scikit-learn locked from PyPI, and a child with one
 * small package) or `small` (the end-to-end fixture).
 * Run: npx tsx tools/bench/ci-leaf-change.ts [scientific|small]
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { engineBuildsDuring } from '../../test/support/engine-builds';
import {
  cli,
  createFixture,
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

/** Wall seconds of `fn` and the images under `repo` the engine built meanwhile. */
async function measure(repo: string, fn: () => string): Promise<[number, string[], string]> {
  const { result, builds } = await engineBuildsDuring(repo, () => timed(fn));
  return [result[1], builds.map((b) => b.image), result[0]];
}

/** A CI runner's fresh checkout: no Nx cache or workspace data, no local imagesmith state. */
function freshCheckout(root: string): void {
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(join(root, '.imagesmith'), { recursive: true, force: true });
  for (const image of readdirSync(join(root, 'images')))
    rmSync(join(root, 'images', image, '.imagesmith'), { recursive: true, force: true });
}

function row(way: string, secs: number, builds: string[]): void {
  console.log(
    `| ${way.padEnd(60)} | ${secs.toFixed(1).padStart(6)}s | ${builds.length} (${builds.join(', ')}) |`,
  );
}

async function main(): Promise<void> {
  const { root, repo } = createFixture(`leaf-${which}`, tree);
  try {
    console.log(`machine: ${machine()}`);
    console.log(
      `tree: ${which} (${tree.order.join(' -> ')}), leaf ${tree.leaf}; Nx defaults (plugin isolation on), NX_DAEMON=false`,
    );
    const [, lockSecs] = timed(() => nx(root, 'run-many', '-t', 'lock', `--projects=${locked}`));
    cli(root, 'generate', '--all');
    const [first, firstBuilds] = await measure(repo, () => nx(root, 'run-many', '-t', 'build'));
    nx(root, 'run-many', '-t', 'push');
    console.log(
      `set-up: lock ${lockSecs.toFixed(1)}s; first build ${first.toFixed(1)}s (${firstBuilds.length} engine builds); pushed to ${repo}`,
    );

    // The change: the leaf's spec only, with its generated files as the commit carries them (CI
    // checks them with nx sync:check). Nothing committed: affected is computed from the file.
    touchLeaf(root, 'one', tree);
    cli(root, 'generate', '--all');
    freshCheckout(root);
    pruneEngine(repo);
    const [ours, ourBuilds, out] = await measure(repo, () =>
      nx(root, 'affected', '-t', 'build', `--files=images/${tree.leaf}/image.yaml`),
    );
    if (process.env.BENCH_VERBOSE) console.log(out);
    console.log(`| ${'way'.padEnd(60)} | ${'wall'.padStart(7)} | engine builds |`);
    row('imagesmith: nx affected -t build (parent found by hash tag)', ours, ourBuilds);

    pruneEngine(repo);
    const [, cold] = timed(() => makefileBuildAll(root, repo, false, tree));
    row('Makefile way, cold docker build of every image', cold, tree.order);

    pruneEngine(repo);
    const [, warm] = timed(() => makefileBuildAll(root, repo, true, tree));
    row("Makefile way, --cache-from the registry's inline cache", warm, tree.order);
    console.log(
      `ratio: ${(cold / ours).toFixed(1)}x faster than the cold Makefile way, ${(warm / ours).toFixed(1)}x against --cache-from`,
    );
  } finally {
    pruneEngine(repo);
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
