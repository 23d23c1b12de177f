#!/usr/bin/env bash
# Build the Go tools the supply-chain steps use, once per machine, from the Go module proxy (the
# only place they can come from here: no GitHub releases, no container registry):
#   syft  (SBOMs: push attaches one per platform, validate audits the venv against the lock)
#   crane (registry manifests and referrers)
# Each lands in ${IMAGESMITH_TOOL_CACHE:-/var/cache/imagesmith}/<tool>-<version>/<tool>, outside
# the clone, so a fresh clone on the same machine reuses it (syft takes ~6 min cold on 2 cores).
# A cached binary that reports its pinned version is reused. Prints the folder of each tool.
set -euo pipefail

SYFT_VERSION="${IMAGESMITH_SYFT_VERSION:-v1.57.2}"
CRANE_VERSION="${IMAGESMITH_CRANE_VERSION:-v0.22.1}"
CACHE="${IMAGESMITH_TOOL_CACHE:-/var/cache/imagesmith}"
STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
NAME=build-go-tools
mkdir -p "$STATE"
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

# build TOOL VERSION PACKAGE VERSION_ARGS...: go install into a private GOBIN, then move the binary
# into the cache in one rename, so a half-built tool is never found there.
build() {
  local tool="$1" version="$2" pkg="$3"
  shift 3
  local out="$CACHE/$tool-$version"
  if [ -x "$out/$tool" ] && "$out/$tool" "$@" 2>/dev/null | grep -q "${version#v}"; then
    echo "$out"
    return 0
  fi
  command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null 2>&1 || apt_install golang-go
  mkdir -p "$CACHE"
  local work
  work="$(mktemp -d "$CACHE/.$tool-build-XXXXXX")"
  # syft reports its version from these ldflags (a go install build says "[not provided]").
  local ldflags=""
  [ "$tool" = syft ] && ldflags="-X main.version=${version#v}"
  if ! GOBIN="$work" CGO_ENABLED=0 go install -trimpath -ldflags "$ldflags" "$pkg@$version" \
    >"$STATE/build-$tool.log" 2>&1; then
    tail -n 30 "$STATE/build-$tool.log" >&2
    rm -rf "$work"
    die "go install $pkg@$version failed (log: $STATE/build-$tool.log)"
  fi
  rm -rf "$out.tmp" && mkdir -p "$out.tmp"
  mv "$work/$tool" "$out.tmp/$tool"
  rm -rf "$work" "$out" && mv "$out.tmp" "$out"
  echo "$out"
}

build syft "$SYFT_VERSION" github.com/anchore/syft/cmd/syft version
build crane "$CRANE_VERSION" github.com/google/go-containerregistry/cmd/crane version
