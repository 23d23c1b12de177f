#!/usr/bin/env bash
# Build a standalone BuildKit daemon (buildkitd + buildctl) from the Go module proxy, once per
# machine: the binaries are cached outside the clone, under
#   ${IMAGESMITH_TOOL_CACHE:-/var/cache/imagesmith}/buildkit-$VERSION/
# so a fresh clone on the same machine reuses them (a cold build takes ~10 min on 2 cores).
# `go install` refuses buildkit (its go.mod has exclude directives), so the module is downloaded,
# copied to a writable folder and built there with -mod=mod.
# Prints the folder holding the binaries.
set -euo pipefail

VERSION="${IMAGESMITH_BUILDKIT_VERSION:-v0.35.0}"
CACHE="${IMAGESMITH_TOOL_CACHE:-/var/cache/imagesmith}"
OUT="$CACHE/buildkit-$VERSION"
STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
NAME=build-buildkitd
mkdir -p "$STATE"
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

if [ -x "$OUT/buildkitd" ] && [ -x "$OUT/buildctl" ] &&
  "$OUT/buildkitd" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "$OUT"
  exit 0
fi

command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null 2>&1 || apt_install golang-go
mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/.buildkit-src-XXXXXX")"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
dir="$(cd "$work" && GOFLAGS=-mod=mod go mod download -json "github.com/moby/buildkit@$VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [ -z "$dir" ] || [ ! -d "$dir" ]; then
  die "go mod download github.com/moby/buildkit@$VERSION gave no module folder"
fi
cp -r "$dir" "$work/src"
chmod -R u+w "$work/src"
mkdir -p "$work/bin"
(cd "$work/src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath \
  -ldflags "-X github.com/moby/buildkit/version.Version=$VERSION" \
  -o "$work/bin/" ./cmd/buildkitd ./cmd/buildctl) >"$STATE/build-buildkitd.log" 2>&1 ||
  { tail -n 30 "$STATE/build-buildkitd.log" >&2; die "go build of buildkit $VERSION failed (log: $STATE/build-buildkitd.log)"; }
rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
cp "$work/bin/buildkitd" "$work/bin/buildctl" "$OUT.tmp/"
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "$OUT"
