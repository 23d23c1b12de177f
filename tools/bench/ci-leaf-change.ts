/**
 * Benchmark, the CI case that matters, against what users would pick instead. One run prints,
 * for the realistic scientific tree (parent `sci`: numpy, pandas, scikit-learn locked from PyPI;
 * child `sci-child` with one small package), on one engine (/usr/bin/docker: Docker with the
 * containerd image store, its BuildKit through buildx), Nx with its defaults (plugin isolation on,
 * NX_DAEMON=false and CI=true as in CI), on a "fresh CI runner" (before every measurement: this
 * benchmark's images removed from the engine and its BuildKit cache records pruned, no `.nx`, no
 * `.imagesmith` state), in interleaved rounds (each round runs every way once, in rotated order):
 *
 *   leaf cases  (a) the child's description changed (a label: no RUN step changes)
 *               (b) the child's packages changed (a second small package added or removed; both
 *                   lock states are made with Poetry once in set-up, each round swaps files)
 *   ways        imagesmith `nx affected -t build`, IMAGESMITH_BUILD_OUTPUT=registry (CI: pushed
 *               from the builder with a mode=max registry cache, nothing loaded)
 *               imagesmith `nx affected -t build` with the engine output, then `nx affected -t push`
 *               Makefile way cold: `docker build` of every image, then `docker push`
 *               Makefile way with `--cache-from` the registry's inline cache, then `docker push`
 *               bake-equivalent: `docker buildx build` per target with a mode=max registry cache,
 *               pushed by the builder (buildx 0.13.1's bake cannot set `network`, and this engine
 *               has no bridge network: bake itself cannot build here)
 *               the floor, each part timed alone: pull the parent, run the child's changed install
 *               step (`docker run` + `docker commit`), push the new layer
 *   no-op       `nx affected -t build,validate` with nothing changed vs the same command in a copy
 *               without the imagesmith plugin (Nx's own cost); engine builds and containers counted
 *
 * Every way works on a repository of its own, so one way's pushes and caches never help another;
 * each way's registry state is the one its own CI would have left at the previous commit.
 * imagesmith's processes are traced (tools/bench/trace-preload.cjs): engine builds are the
 * `docker buildx build` calls, and the breakdown says where its time goes.
 * Run: npx tsx tools/bench/ci-leaf-change.ts [--rounds N]   (default 5; BENCH_VERBOSE=1 prints logs)
 */

const help = ['-h', '--help'].some((a) => process.argv.includes(a));
if (help) {
  console.log(
    'Usage: npx tsx tools/bench/ci-leaf-change.ts [--rounds N]  (default 5; BENCH_VERBOSE=1 prints logs)',
  );
} else {
  // Loaded only now: the settings ask the engine which builders exist.
  import('./ci-leaf-change/main')
    .then(({ main }) => main())
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
