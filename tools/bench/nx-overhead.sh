#!/usr/bin/env bash
# Benchmark (prints numbers, not a test): what our Nx plugin and sync generator cost a user, with
# Nx's defaults (plugin isolation on; daemon off as in CI and on as on a laptop), each figure beside
# its FLOOR: the same workspace with our plugin removed (nx.json "plugins" emptied, "sync" block and
# every syncGenerators entry dropped), measured in the same run.
#
#   (a) npx nx show projects, daemon off (NX_DAEMON=false): cold and warm workspace data
#   (b) npx nx show projects, daemon on (NX_DAEMON=true; `nx reset` before each cold run)
#   (c) npx nx sync, cold (rm -rf .nx/cache .nx/workspace-data first), daemon off; the floor has
#       no sync generators, so its figure is Nx's own cost
#   (d) npx nx sync, daemon on, cold (`nx reset` first, so it includes starting the daemon)
#   and, for reference, the one-process `imagesmith generate --all`.
#
# Both workspaces are copies under /tmp of the working tree (or, with BENCH_REF=<commit>, a clone
# at that commit), without node_modules and .nx; node_modules is a private folder of links to the
# repo's packages, so the CLI's bundle cache in node_modules/.cache is not shared with the
# checkout. Medians of N runs (default 5).
# Run: bash tools/bench/nx-overhead.sh [runs]      BENCH_REF=HEAD bash tools/bench/nx-overhead.sh
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"

# Nx's defaults: plugin isolation on (never NX_ISOLATE_PLUGINS=false), no CI detection (CI=true
# would turn the daemon off behind our back), no Nx Cloud, no TUI.
unset NX_ISOLATE_PLUGINS NX_DAEMON CI NX_SKIP_NX_CACHE
export NX_NO_CLOUD=true NX_TUI=false FORCE_COLOR=0 NO_COLOR=1

work="$(mktemp -d /tmp/imagesmith-nx-overhead.XXXXXX)"
cleanup() {
  for ws in "$work"/plugin "$work"/floor; do
    [ -d "$ws" ] && (cd "$ws" && NX_DAEMON=true npx nx daemon --stop >/dev/null 2>&1 || true)
  done
  rm -rf "$work"
}
trap cleanup EXIT

copy_workspace() { # copy_workspace DEST
  if [ -n "${BENCH_REF:-}" ]; then
    git clone -q --no-checkout "$src" "$1"
    git -C "$1" checkout -q --detach "$(git -C "$src" rev-parse "$BENCH_REF")"
  else
    mkdir -p "$1"
    tar -C "$src" --exclude=./node_modules --exclude=./.nx -cf - . | tar -C "$1" -xf -
  fi
  mkdir -p "$1/node_modules"
  local entry
  # Dot entries too: .bin, and .imagesmith (the plugin entry nx.json names, written at install).
  for entry in "$src"/node_modules/* "$src"/node_modules/.[!.]*; do
    case "$(basename "$entry")" in @imagesmith | .cache) ;; *) ln -s "$entry" "$1/node_modules/" ;; esac
  done
  # Workspace packages keep their relative links, so they point into the copy.
  cp -a "$src/node_modules/@imagesmith" "$1/node_modules/"
}

remove_plugin() { # remove_plugin WS: the floor
  node -e '
    const fs = require("fs"), path = require("path"), ws = process.argv[1];
    const strip = (targets) => { for (const t of Object.values(targets ?? {})) delete t.syncGenerators; };
    const nxJson = JSON.parse(fs.readFileSync(path.join(ws, "nx.json"), "utf8"));
    nxJson.plugins = [];
    delete nxJson.sync;
    strip(nxJson.targetDefaults);
    fs.writeFileSync(path.join(ws, "nx.json"), JSON.stringify(nxJson, null, 2) + "\n");
    const files = require("child_process")
      .execFileSync("git", ["ls-files", "*project.json", "*package.json"], { cwd: ws, encoding: "utf8" })
      .split("\n").filter(Boolean);
    for (const f of files) {
      const p = path.join(ws, f), j = JSON.parse(fs.readFileSync(p, "utf8"));
      strip(f.endsWith("package.json") ? j.nx?.targets : j.targets);
      fs.writeFileSync(p, JSON.stringify(j, null, 2) + "\n");
    }' "$1"
}

secs() { # secs CMD...: wall seconds of CMD (output dropped; a failure aborts the benchmark)
  local s e
  s=$(date +%s.%N)
  if ! "$@" >"$work/last.log" 2>&1; then
    echo "FAILED: $* (in $PWD)" >&2
    tail -20 "$work/last.log" >&2
    exit 1
  fi
  e=$(date +%s.%N)
  echo "$e - $s" | bc
}
minimum() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {printf "%.2f\n", $1}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

copy_workspace "$work/plugin"
copy_workspace "$work/floor"
remove_plugin "$work/floor"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB, node $(node --version), nx $(cd "$work/plugin" && npx nx --version 2>/dev/null | sed -n 's/.*Local: *//p')"
echo "workspace: $(git -C "$work/plugin" log -1 --format='%h %s')$([ -n "${BENCH_REF:-}" ] || echo ' (plus uncommitted changes of the working tree)')"
sync_gens=$(node -e 'const j=require(process.argv[1]); console.log((j.sync?.globalGenerators ?? []).join(", ") || "none")' "$work/plugin/nx.json")
echo "nx.json sync.globalGenerators: $sync_gens"
echo "Nx defaults: plugin isolation on (NX_ISOLATE_PLUGINS unset); runs: $runs (median shown)"

# Warm-up, untimed: the CLI bundle and validator caches under each copy's node_modules/.cache,
# and a first sync so the timed runs measure a workspace that is already in sync (as in CI).
before=$(git -C "$work/plugin" status --porcelain | sort)
for ws in plugin floor; do
  (cd "$work/$ws" && NX_DAEMON=false npx nx show projects >/dev/null 2>&1 && NX_DAEMON=false npx nx sync >/dev/null 2>&1) || {
    echo "warm-up failed in $ws" >&2
    (cd "$work/$ws" && NX_DAEMON=false npx nx sync) >&2 || true
    exit 1
  }
done
projects_plugin=$(cd "$work/plugin" && NX_DAEMON=false npx nx show projects | wc -l)
projects_floor=$(cd "$work/floor" && NX_DAEMON=false npx nx show projects | wc -l)
echo "projects: $projects_plugin with the plugin, $projects_floor in the floor"
changed=$(comm -13 <(echo "$before") <(git -C "$work/plugin" status --porcelain | sort) | grep -c . || true)
echo "files the first nx sync changed in the copy: $changed"
if (cd "$work/plugin" && node tools/imagesmith/bin/imagesmith.cjs generate --all >"$work/last.log" 2>&1); then
  generate_all=yes
else
  generate_all=
  echo "imagesmith generate --all fails in this workspace; not timed: $(grep -m1 -iE 'error|no matching' "$work/last.log")"
fi

declare -A t
add() { t[$1]="${t[$1]:-} $2"; }
for i in $(seq "$runs"); do
  for ws in plugin floor; do
    cd "$work/$ws"
    # (a) daemon off
    rm -rf .nx/cache .nx/workspace-data
    add "off-cold-$ws" "$(NX_DAEMON=false secs npx nx show projects)"
    add "off-warm-$ws" "$(NX_DAEMON=false secs npx nx show projects)"
    # (b) daemon on: nx reset stops the daemon and removes the cache and workspace data
    NX_DAEMON=true npx nx reset >/dev/null 2>&1
    add "on-cold-$ws" "$(NX_DAEMON=true secs npx nx show projects)"
    add "on-warm-$ws" "$(NX_DAEMON=true secs npx nx show projects)"
    NX_DAEMON=true npx nx daemon --stop >/dev/null 2>&1
    # (c) cold sync, daemon off
    rm -rf .nx/cache .nx/workspace-data
    add "sync-$ws" "$(NX_DAEMON=false secs npx nx sync)"
    add "check-$ws" "$(NX_DAEMON=false secs npx nx sync:check)"
    # (d) cold sync, daemon on (a laptop): the daemon computes the graph and runs the generators
    NX_DAEMON=true npx nx reset >/dev/null 2>&1
    add "dsync-$ws" "$(NX_DAEMON=true secs npx nx sync)"
    NX_DAEMON=true npx nx daemon --stop >/dev/null 2>&1
  done
  cd "$work/plugin"
  [ -z "$generate_all" ] || add "generate-all" "$(secs node tools/imagesmith/bin/imagesmith.cjs generate --all)"
  echo "run $i/$runs done" >&2
done

row() { # row LABEL KEY GOAL_SECONDS(or -): medians, the added median against the goal, minimums
  local p f d pm fm verdict goal="-"
  # shellcheck disable=SC2086
  p=$(median ${t[$2-plugin]}) f=$(median ${t[$2-floor]}) pm=$(minimum ${t[$2-plugin]}) fm=$(minimum ${t[$2-floor]})
  d=$(echo "$p - $f" | bc)
  [ "$3" = - ] || goal="+${3}s"
  if [ "$3" = - ]; then verdict="-"; elif [ "$(echo "$d <= $3" | bc)" = 1 ]; then verdict="met"; else verdict="MISSED"; fi
  printf '| %-47s | %6ss | %6ss | %+6.2fs | %-6s | %-7s | %5ss | %5ss | %+6.2fs |\n' "$1" "$p" "$f" "$d" "$goal" "$verdict" "$pm" "$fm" "$(echo "$pm - $fm" | bc)"
}
echo
echo "median and minimum of $runs runs, seconds; floor = the same workspace without our plugin"
printf '| %-47s | %7s | %7s | %7s | %-6s | %-7s | %6s | %6s | %7s |\n' case plugin floor added goal verdict "p min" "f min" "added"
echo "|-------------------------------------------------|---------|---------|---------|--------|---------|--------|--------|---------|"
row "nx show projects, daemon off, cold" off-cold 0.3
row "nx show projects, daemon off, warm" off-warm 0.3
row "nx show projects, daemon on, cold (nx reset)" on-cold 0.3
row "nx show projects, daemon on, warm" on-warm 0.3
row "nx sync, cold (no .nx/cache, workspace-data)" sync 1
row "nx sync:check, right after (warm), daemon off" check -
row "nx sync, daemon on, cold (nx reset)" dsync 1
# shellcheck disable=SC2086
[ -z "$generate_all" ] || echo "one process: imagesmith generate --all: $(median ${t[generate-all]})s"
echo "raw seconds:"
for k in $(printf '%s\n' "${!t[@]}" | sort); do echo "  $k:${t[$k]}"; done
