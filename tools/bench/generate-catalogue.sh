#!/usr/bin/env bash
# Benchmark: `nx run-many -t generate` over the whole catalogue, cold (empty Nx cache) then cached.
# Prints wall seconds for each and the number of tasks. Run from anywhere: bash tools/bench/generate-catalogue.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_ISOLATE_PLUGINS=false NX_NO_CLOUD=true NX_TUI=false
runs="${1:-3}"
secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
tasks=$(npx nx show projects --json --projects='tag:type:image' | node -e 'console.log(JSON.parse(require("fs").readFileSync(0,"utf8")).length)')
node tools/imagesmith/bin/imagesmith.cjs generate python-base --quiet >/dev/null # the CLI bundle is built once, outside the timings
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)"
echo "catalogue: $tasks images"
for i in $(seq "$runs"); do
  rm -rf .nx/cache .nx/workspace-data
  cold=$(secs npx nx run-many -t generate --outputStyle=static)
  cached=$(secs npx nx run-many -t generate --outputStyle=static)
  echo "run $i: cold ${cold}s, cached ${cached}s"
done
