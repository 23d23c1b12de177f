#!/usr/bin/env bash
# Benchmark (prints numbers, not a test): installing an image's lock with pip, as the generated
# Dockerfile does (`pip install --require-hashes --no-deps -r requirements.txt`), beside uv
# (`uv pip install --require-hashes --no-deps --compile-bytecode -r requirements.txt`, bytecode on
# because pip writes .pyc files and the images set PYTHONDONTWRITEBYTECODE=1), on this host, outside
# the container engine.
#
# Cold: every run starts from a fresh venv and an empty download cache for both tools, so the
# figures include downloading every wheel from the index (PyPI, or PIP_INDEX_URL / UV_INDEX_URL).
# pip and uv take turns going first, so neither always meets a warmer CDN. Warm (BENCH_WARM=1): one
# more install per tool into a fresh venv with the cache its last cold run filled, i.e. what a
# rebuild with the BuildKit cache mount still populated costs.
#
# Both tools get the same interpreter: the image's Python (the "Python X.Y" of its Dockerfile
# header) from pyenv, else python3. Each run also checks that both installed the same
# distributions at the same versions.
#
# uv is installed hash-checked from the pin the templates use (templates/python-base/_uv-install.hbs).
# Heavy locks (gpu-train: torch and the CUDA wheels, about 2.5 GB) take minutes per install: give
# them fewer runs with IMAGE:RUNS.
#
# Run: bash tools/bench/uv-vs-pip.sh [IMAGE[:RUNS] ...]     (default: mlrun:3 gpu-train:2)
#      BENCH_WARM=1 bash tools/bench/uv-vs-pip.sh mlrun:3
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
[ $# -gt 0 ] || set -- mlrun:3 gpu-train:2

# The host's pip configuration must not leak in: find-links could serve wheels from disk.
unset PIP_FIND_LINKS PIP_NO_CACHE_DIR PIP_CACHE_DIR UV_CACHE_DIR UV_NO_CACHE
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONHASHSEED=0

work="$(mktemp -d /tmp/imagesmith-uv-vs-pip.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# uv, hash-checked, from the same requirement lines the Dockerfile's builder stage uses.
grep -oE 'uv==[0-9.]+|--hash=sha256:[0-9a-f]{64}' "$src/templates/python-base/_uv-install.hbs" | paste -sd' ' \
  >"$work/uv-requirements.txt"
python3 -m venv "$work/uv-tool"
"$work/uv-tool/bin/pip" install -q --require-hashes --no-deps -r "$work/uv-requirements.txt"
uv="$work/uv-tool/bin/uv"

python_for() { # python_for IMAGE -> interpreter path
  local v p
  v="$(sed -n '3s/.*Python \([0-9]*\.[0-9]*\).*/\1/p' "$src/images/$1/Dockerfile")"
  for p in "$HOME/.pyenv/versions/$v".*/bin/python3; do
    [ -x "$p" ] && { echo "$p"; return; }
  done
  command -v python3
}

now() { date +%s.%N; }

dists() { # dists VENV -> sorted "name==version" lines of what is installed
  "$1/bin/python" - <<'EOF'
import importlib.metadata as m
print("\n".join(sorted({f"{d.metadata['Name'].lower().replace('_', '-')}=={d.version}" for d in m.distributions()} - {"pip==" + m.version("pip")})))
EOF
}

install() { # install TOOL VENV CACHE REQS -> seconds on stdout
  local t0 t1
  t0="$(now)"
  case "$1" in
  pip) PIP_CACHE_DIR="$3" "$2/bin/pip" install -q --require-hashes --no-deps -r "$4" >&2 ;;
  uv) UV_CACHE_DIR="$3" "$uv" pip install -q --python "$2/bin/python" --require-hashes --no-deps \
    --compile-bytecode -r "$4" >&2 ;;
  esac
  t1="$(now)"
  echo "$t1 - $t0" | bc
}

stats() { # stats SECONDS... -> "median (min–max)"
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {
    m = NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2
    printf "%6.1f s  (%.1f–%.1f, n=%d)", m, a[1], a[NR], NR }'
}

echo "machine: $(nproc) x $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(free -g | awk '/^Mem/ {print $2}') GiB, $(uname -sm)"
echo "uv: $("$uv" --version)"
for arg in "$@"; do
  image="${arg%%:*}" runs="${arg#*:}"
  [ "$runs" = "$arg" ] && runs=3
  reqs="$src/images/$image/requirements.txt"
  [ -f "$reqs" ] || { echo "no $reqs" >&2; exit 2; }
  py="$(python_for "$image")"
  pkgs="$(grep -c '^[a-zA-Z0-9]' "$reqs")"
  echo
  echo "== $image: $pkgs pinned packages, $("$py" --version), pip $("$py" -m pip --version | cut -d' ' -f2), $runs cold runs"
  pip_times=() uv_times=()
  for ((i = 1; i <= runs; i++)); do
    order=(pip uv)
    ((i % 2 == 0)) && order=(uv pip)
    for tool in "${order[@]}"; do
      rm -rf "$work/$tool-venv" "$work/$tool-cache"
      "$py" -m venv "$work/$tool-venv"
      s="$(install "$tool" "$work/$tool-venv" "$work/$tool-cache" "$reqs")"
      [ "$tool" = pip ] && pip_times+=("$s") || uv_times+=("$s")
      printf '  run %d %-3s cold: %6.1f s  (cache after: %s)\n' "$i" "$tool" "$s" \
        "$(du -sh "$work/$tool-cache" 2>/dev/null | cut -f1 || echo 0)"
    done
    if ! diff <(dists "$work/pip-venv") <(dists "$work/uv-venv") >"$work/diff"; then
      echo "  run $i: pip and uv installed different distributions:" >&2
      cat "$work/diff" >&2
      exit 1
    fi
    echo "  run $i: same $(dists "$work/uv-venv" | wc -l) distributions installed by both"
  done
  if [ "${BENCH_WARM:-}" = 1 ]; then
    for tool in pip uv; do
      rm -rf "$work/$tool-venv"
      "$py" -m venv "$work/$tool-venv"
      s="$(install "$tool" "$work/$tool-venv" "$work/$tool-cache" "$reqs")"
      [ "$tool" = pip ] && pip_warm="$s" || uv_warm="$s"
    done
  fi
  echo "  $image cold  pip: $(stats "${pip_times[@]}")   uv: $(stats "${uv_times[@]}")"
  if [ "${BENCH_WARM:-}" = 1 ]; then
    printf '  %s warm  pip: %6.1f s   uv: %6.1f s   (cache of the last cold run, fresh venv)\n' \
      "$image" "$pip_warm" "$uv_warm"
  fi
  rm -rf "$work"/pip-venv "$work"/uv-venv "$work"/pip-cache "$work"/uv-cache
done
