#!/usr/bin/env bash
# Stand-in base images for tests and CI, made without any remote container registry:
# debootstrap a Debian minbase rootfs, `docker import` it and push it to the local registry
# (127.0.0.1:5000, or IMAGESMITH_REGISTRY_ADDR) under the name a registry-mirror rewrite of the real
# base produces.
#
#   127.0.0.1:5000/library/python:3.11-slim-bookworm   bookworm minbase + python3 (3.11), python3-venv, ca-certificates
#   127.0.0.1:5000/library/python:3.9-slim-bookworm    bullseye minbase + python3 (3.9), python3-venv, ca-certificates
#                                                      (Debian has 3.9 only in bullseye: glibc 2.31, older than the
#                                                      real image's 2.36, so a wheel that installs here installs there)
#   127.0.0.1:5000/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04  plain bookworm minbase (builds apt-get install
#                                                      python3.11 via the Debian mirror; builds run with --network host)
#
# Like the official python images, the python stand-ins have the interpreter at /usr/local/bin/python3
# and /usr/local/bin/python (symlinks to Debian's /usr/bin/python3).
#
# Idempotent: an image already in the registry with this script's STANDIN_VERSION label is left
# alone (bump it when the stand-ins change; older ones are then remade); rootfs tarballs are cached
# under ${IMAGESMITH_STATE:-/tmp/imagesmith-ci}/rootfs. Starts the engine and the registry when
# needed (setup-engine.sh, setup-registry.sh). Prints one line per image.
set -euo pipefail

STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
REGISTRY="${IMAGESMITH_REGISTRY_ADDR:-127.0.0.1:5000}"
STANDIN_VERSION=3
DOCKER=/usr/bin/docker
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOTFS_DIR="$STATE/rootfs"
mkdir -p "$ROOTFS_DIR"

# name|Debian suite|comma-separated extra packages (empty: plain minbase)|Python it has or apt-installs
# (the label dev.imagesmith.stand-in.python: CI's coverage table builds only images on that Python)
IMAGES=(
  "library/python:3.11-slim-bookworm|bookworm|python3,python3-venv,ca-certificates|3.11"
  "library/python:3.9-slim-bookworm|bullseye|python3,python3-venv,ca-certificates|3.9"
  "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04|bookworm||3.11"
)

NAME=make-base-images
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

# The Debian mirror this machine already uses (first non-security URI), else deb.debian.org.
debian_mirror() {
  local uri=""
  if [ -r /etc/apt/sources.list.d/debian.sources ]; then
    uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$uri" ] && [ -r /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) { if ($i !~ /security/) print $i; break } }' \
      /etc/apt/sources.list | head -n 1)"
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# True when the registry has repo:tag made by this STANDIN_VERSION: its config blob carries the label
# dev.imagesmith.stand-in=$STANDIN_VERSION. Docker with the containerd image store pushes an OCI
# manifest, which the registry answers only to a client that accepts OCI (a docker v2 manifest from
# an older engine's push is accepted too).
in_registry() {
  local repo="${1%%:*}" tag="${1##*:}" digest
  digest="$(curl -sf -m 10 \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$repo/manifests/$tag" |
    tr -d ' \n' | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]*' || true)"
  [ -n "$digest" ] || return 1
  curl -sf -m 10 "http://$REGISTRY/v2/$repo/blobs/$digest" |
    grep -q "\"dev.imagesmith.stand-in\":\"$STANDIN_VERSION\""
}

# Cached rootfs tarball for a package set; echoes its path.
rootfs_tar() {
  local suite="$1" include="$2" key
  key="$suite-minbase${include:+-$(printf '%s' "$include" | sha256sum | cut -c1-12)}"
  echo "$ROOTFS_DIR/$key.tar"
}

make_rootfs() {
  local suite="$1" include="$2" tar tmp log
  tar="$(rootfs_tar "$suite" "$include")"
  [ -s "$tar" ] && return 0
  tmp="$tar.d"
  log="$tar.debootstrap.log"
  rm -rf "$tmp"
  if ! debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$tmp" "$MIRROR" >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "debootstrap $suite from $MIRROR failed (log: $log)"
  fi
  # Where the official python images have their interpreter; tools look there.
  if [ -x "$tmp/usr/bin/python3" ]; then
    ln -sf /usr/bin/python3 "$tmp/usr/local/bin/python3"
    ln -sf /usr/bin/python3 "$tmp/usr/local/bin/python"
  fi
  rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/* "$tmp"/tmp/* 2>/dev/null || true
  tar -C "$tmp" --numeric-owner -cf "$tar.partial" .
  mv "$tar.partial" "$tar"
  rm -rf "$tmp"
}

[ "$(id -u)" = 0 ] || die "run as root (debootstrap needs it)"
bash "$HERE/setup-engine.sh"
bash "$HERE/setup-registry.sh"
command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
MIRROR="$(debian_mirror)"

# Which images are missing from the registry.
missing=()
for entry in "${IMAGES[@]}"; do
  name="${entry%%|*}"
  if in_registry "$name"; then
    echo "present  $REGISTRY/$name"
  else
    missing+=("$entry")
  fi
done
[ "${#missing[@]}" = 0 ] && exit 0

# debootstrap the needed rootfs variants in parallel (network-bound).
pids=()
for entry in "${missing[@]}"; do
  IFS='|' read -r _ suite include _ <<<"$entry"
  make_rootfs "$suite" "$include" &
  pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid" || die "building a rootfs failed (see above)"; done

for entry in "${missing[@]}"; do
  name="${entry%%|*}"
  IFS='|' read -r _ suite include python <<<"$entry"
  ref="$REGISTRY/$name"
  "$DOCKER" import \
    --change "LABEL dev.imagesmith.stand-in=$STANDIN_VERSION dev.imagesmith.stand-in.python=$python" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    - "$ref" <"$(rootfs_tar "$suite" "$include")" >/dev/null ||
    die "docker import of $ref failed"
  if ! out="$("$DOCKER" push "$ref" 2>&1)"; then
    echo "$out" | tail -n 20 >&2
    die "docker push $ref failed; is the registry up (bash $HERE/setup-registry.sh)?"
  fi
  echo "pushed   $ref"
done
