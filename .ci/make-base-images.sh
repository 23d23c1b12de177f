#!/usr/bin/env bash
# Stand-in base images for tests and CI, made without any remote container registry:
# debootstrap a Debian minbase rootfs, `docker import` it and push it to the local registry
# (127.0.0.1:5000, or IMAGESMITH_REGISTRY_ADDR) under the name a registry-mirror rewrite of the real
# base produces.
#
#   127.0.0.1:5000/library/python:3.11-slim-bookworm   bookworm minbase + python3 (3.11), python3-venv, ca-certificates;
#                                                      linux/amd64 and linux/arm64 (a manifest list, like the real one:
#                                                      the arm64 rootfs is debootstrapped under qemu: 10-13 min on 2
#                                                      busy cores, once per machine, then cached)
#   127.0.0.1:5000/nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04  plain bookworm minbase: the cuda12 images
#                                                      apt-get install python3.11 from the Debian mirror (builds run
#                                                      with --network host) as they do from Ubuntu 22.04's universe on
#                                                      the real base: same interpreter path (/usr/bin/python3.11),
#                                                      same Python minor; glibc 2.36 here, 2.35 there (no Debian suite
#                                                      has Python 3.11 on an older glibc), and the lock checks wheels
#                                                      against the profile's 2.35
#   127.0.0.1:5000/daskdev/dask:2024.8.2-py3.11        the python:3.11 rootfs with the interpreter where the real (conda)
#                                                      image has it, /opt/conda/bin/python3 (and python), first on PATH;
#                                                      dask-base installs dask itself, into its venv, from its lock
#
# No catalogue image that CI can build is on Python 3.9 any more (vessl-python's deprecated py3.9
# variant needs the PyTorch CPU index), so there is no 3.9 stand-in.
#
# Like the official python images, the python stand-ins have the interpreter at /usr/local/bin/python3
# and /usr/local/bin/python (symlinks to Debian's /usr/bin/python3). A multi-platform stand-in is
# imported and pushed once per platform (tags <tag>-standin-<arch>), then joined into one manifest list
# under its own tag (`docker buildx imagetools create`). Its foreign rootfs needs qemu-user-static
# registered with binfmt_misc (setup-engine.sh does it for arm64).
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
# [|platforms, comma-separated: several make a manifest list; this machine's when left out]
# [|the directory the interpreter is in on the real image, first on PATH; /usr/local/bin when left out]
IMAGES=(
  "library/python:3.11-slim-bookworm|bookworm|python3,python3-venv,ca-certificates|3.11|linux/amd64,linux/arm64"
  "nvidia/cuda:12.1.1-cudnn8-runtime-ubuntu22.04|bookworm||3.11"
  "daskdev/dask:2024.8.2-py3.11|bookworm|python3,python3-venv,ca-certificates|3.11||/opt/conda/bin"
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

# The manifest digest the registry answers for repo:tag (its Docker-Content-Digest), or nothing.
manifest_digest() {
  local repo="${1%%:*}" tag="${1##*:}"
  curl -sfI -m 10 \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$repo/manifests/$tag" |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' || true
}

# True when repo:tag is a manifest list of exactly the per-platform stand-ins now in the registry
# (<tag>-standin-<arch>), each made by this STANDIN_VERSION.
list_in_registry() {
  local name="$1" platforms="$2" index p digest
  index="$(curl -sf -m 10 \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
    "http://$REGISTRY/v2/${name%%:*}/manifests/${name##*:}" || true)"
  [ -n "$index" ] || return 1
  for p in ${platforms//,/ }; do
    in_registry "$name-standin-$(tag_arch "$p")" || return 1
    digest="$(manifest_digest "$name-standin-$(tag_arch "$p")")"
    [ -n "$digest" ] && grep -q "$digest" <<<"$index" || return 1
  done
}

# linux/arm64 -> arm64 (linux/arm/v7 -> armv7): the suffix of a per-platform tag.
tag_arch() {
  local arch="${1#linux/}"
  echo "${arch//\//}"
}

# linux/arm64 -> Debian's architecture name (empty for this machine's own: its rootfs key stays).
debian_arch() {
  local arch
  case "${1#linux/}" in
    arm/v7) arch=armhf ;;
    ppc64le) arch=ppc64el ;;
    386) arch=i386 ;;
    *) arch="${1#linux/}" ;;
  esac
  [ "$arch" = "$HOST_ARCH" ] || echo "$arch"
}

# Cached rootfs tarball for a package set (and a foreign Debian architecture); echoes its path.
rootfs_tar() {
  local suite="$1" include="$2" arch="${3:-}" key
  key="$suite${arch:+-$arch}-minbase${include:+-$(printf '%s' "$include" | sha256sum | cut -c1-12)}"
  echo "$ROOTFS_DIR/$key.tar"
}

# A foreign architecture's second stage runs under qemu (binfmt_misc): minutes, once per cache.
make_rootfs() {
  local suite="$1" include="$2" arch="${3:-}" tar tmp log
  tar="$(rootfs_tar "$suite" "$include" "$arch")"
  [ -s "$tar" ] && return 0
  tmp="$tar.d"
  log="$tar.debootstrap.log"
  rm -rf "$tmp"
  if [ -z "$arch" ]; then
    debootstrap --variant=minbase ${include:+--include="$include"} "$suite" "$tmp" "$MIRROR" >"$log" 2>&1 ||
      { tail -n 30 "$log" >&2; die "debootstrap $suite from $MIRROR failed (log: $log)"; }
  else
    # Unpack without qemu, then configure under it with dpkg's unsafe-io (no fsync per file: this
    # rootfs is thrown away after the tar): 10-13 min instead of 20 on 2 busy cores.
    { debootstrap --foreign --arch="$arch" --variant=minbase ${include:+--include="$include"} \
      "$suite" "$tmp" "$MIRROR" &&
      mkdir -p "$tmp/etc/dpkg/dpkg.cfg.d" &&
      echo force-unsafe-io >"$tmp/etc/dpkg/dpkg.cfg.d/imagesmith-unsafe-io" &&
      chroot "$tmp" /debootstrap/debootstrap --second-stage; } >"$log" 2>&1 ||
      { tail -n 30 "$log" >&2; die "debootstrap $suite ($arch) from $MIRROR failed (log: $log); is qemu registered for $arch with binfmt_misc (bash $HERE/setup-engine.sh)?"; }
    rm -f "$tmp/etc/dpkg/dpkg.cfg.d/imagesmith-unsafe-io"
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
HOST_ARCH="$(dpkg --print-architecture)"
HOST_PLATFORM="linux/$HOST_ARCH"

# docker (containerd store) pushes an image that is a manifest list only when it holds every
# platform's content: a pulled list has this machine's only, so `docker tag <list> X && docker push
# X` fails ("missing content"). The per-platform images kept locally hold the rest.
keep_parts_local() {
  local ref="$1" platforms="$2" p part
  for p in ${platforms//,/ }; do
    part="$ref-standin-$(tag_arch "$p")"
    "$DOCKER" image inspect "$part" >/dev/null 2>&1 ||
      "$DOCKER" pull -q --platform "$p" "$part" >/dev/null ||
      die "docker pull $part failed"
  done
}

# Which images are missing from the registry.
missing=()
for entry in "${IMAGES[@]}"; do
  IFS='|' read -r name _ _ _ platforms _ <<<"$entry"
  if [[ "${platforms:-$HOST_PLATFORM}" == *,* ]] && list_in_registry "$name" "$platforms"; then
    keep_parts_local "$REGISTRY/$name" "$platforms"
    echo "present  $REGISTRY/$name ($platforms)"
  elif [[ "${platforms:-$HOST_PLATFORM}" != *,* ]] && in_registry "$name"; then
    echo "present  $REGISTRY/$name"
  else
    missing+=("$entry")
  fi
done
[ "${#missing[@]}" = 0 ] && exit 0

# debootstrap the needed rootfs variants in parallel (network-bound; a foreign one CPU-bound), each
# once: two stand-ins may share one (python:3.11 and daskdev/dask).
pids=()
started=" "
for entry in "${missing[@]}"; do
  IFS='|' read -r _ suite include _ platforms _ <<<"$entry"
  platforms="${platforms:-$HOST_PLATFORM}"
  for platform in ${platforms//,/ }; do
    key="$(rootfs_tar "$suite" "$include" "$(debian_arch "$platform")")"
    [[ "$started" == *" $key "* ]] && continue
    started+="$key "
    make_rootfs "$suite" "$include" "$(debian_arch "$platform")" &
    pids+=("$!")
  done
done
for pid in "${pids[@]}"; do wait "$pid" || die "building a rootfs failed (see above)"; done

# The rootfs tarball plus python3 and python symlinks (to Debian's /usr/bin/python3) in dir, for a
# real image that has its interpreter elsewhere (conda's /opt/conda/bin); cached. Echoes its path.
with_python_dir() {
  local tar="$1" dir="$2" out tmp top
  [ "$dir" = /usr/local/bin ] && { echo "$tar"; return 0; }
  out="${tar%.tar}-python-$(printf '%s' "$dir" | sha256sum | cut -c1-12).tar"
  if [ ! -s "$out" ]; then
    tmp="$(mktemp -d)"
    mkdir -p "$tmp$dir"
    ln -s /usr/bin/python3 "$tmp$dir/python3"
    ln -s /usr/bin/python3 "$tmp$dir/python"
    cp "$tar" "$out.partial"
    top="${dir#/}"
    tar -C "$tmp" --numeric-owner --owner=0 --group=0 -rf "$out.partial" "./${top%%/*}"
    rm -rf "$tmp"
    mv "$out.partial" "$out"
  fi
  echo "$out"
}

# Imports a rootfs as one platform's image and pushes it to ref.
import_and_push() {
  local ref="$1" platform="$2" tar="$3" python="$4" pydir="${5:-/usr/local/bin}" out path
  path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  [ "$pydir" = /usr/local/bin ] || path="$pydir:$path"
  tar="$(with_python_dir "$tar" "$pydir")"
  "$DOCKER" import --platform "$platform" \
    --change "LABEL dev.imagesmith.stand-in=$STANDIN_VERSION dev.imagesmith.stand-in.python=$python" \
    --change "ENV PATH=$path" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    - "$ref" <"$tar" >/dev/null ||
    die "docker import of $ref ($platform) failed"
  if ! out="$("$DOCKER" push "$ref" 2>&1)"; then
    echo "$out" | tail -n 20 >&2
    die "docker push $ref failed; is the registry up (bash $HERE/setup-registry.sh)?"
  fi
}

for entry in "${missing[@]}"; do
  IFS='|' read -r name suite include python platforms pydir <<<"$entry"
  ref="$REGISTRY/$name"
  if [[ "${platforms:-$HOST_PLATFORM}" != *,* ]]; then
    import_and_push "$ref" "${platforms:-$HOST_PLATFORM}" \
      "$(rootfs_tar "$suite" "$include" "$(debian_arch "${platforms:-$HOST_PLATFORM}")")" "$python" "$pydir"
    echo "pushed   $ref"
    continue
  fi
  parts=()
  for platform in ${platforms//,/ }; do
    part="$ref-standin-$(tag_arch "$platform")"
    import_and_push "$part" "$platform" \
      "$(rootfs_tar "$suite" "$include" "$(debian_arch "$platform")")" "$python" "$pydir"
    parts+=("$part")
  done
  if ! out="$("$DOCKER" buildx imagetools create -t "$ref" "${parts[@]}" 2>&1)"; then
    echo "$out" | tail -n 20 >&2
    die "docker buildx imagetools create $ref failed"
  fi
  # A local copy from before (one platform) would shadow the list; the parts stay (keep_parts_local).
  "$DOCKER" image rm "$ref" >/dev/null 2>&1 || true
  "$DOCKER" pull -q "$ref" >/dev/null || die "docker pull $ref failed"
  echo "pushed   $ref ($platforms)"
done
