#!/usr/bin/env bash
# Make a modern Docker engine answer on this machine (root, Debian bookworm):
#   - Docker 26 (docker.io, docker-cli), buildx and containerd 1.7 from Debian trixie, pinned so that
#     nothing else of the system is upgraded (trixie gets priority 50; only these packages are taken
#     from it, by name; the install is refused when it would touch libc6); qemu-user-static and
#     buildah from bookworm;
#   - dockerd with the containerd image store (registry cache export, OCI output, attestations,
#     multi-platform images), without bridge networking or iptables (builds use --network host,
#     test containers --network none); its config is $STATE/daemon.json, not /etc/docker;
#   - qemu-aarch64 registered with binfmt_misc (flag F), so linux/arm64 RUN steps run emulated.
# A running daemon older than Docker 25 or without the containerd store is stopped and replaced.
# Idempotent and quiet; prints the dockerd log tail when the engine does not come up.
# Log: ${IMAGESMITH_STATE:-/tmp/imagesmith-ci}/dockerd.log
set -euo pipefail

STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
DOCKER=/usr/bin/docker
LOG="$STATE/dockerd.log"
WAIT_S="${IMAGESMITH_ENGINE_WAIT_S:-60}"
MIN_MAJOR=25
mkdir -p "$STATE"

NAME=setup-engine
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"

server_major() { "$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null | cut -d. -f1; }
client_major() { "$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null | cut -d. -f1; }

# --- packages -------------------------------------------------------------------------------
add_trixie() {
  local list=/etc/apt/sources.list.d/imagesmith-trixie.sources
  local pref=/etc/apt/preferences.d/imagesmith-trixie
  [ -e "$pref" ] || printf 'Package: *\nPin: release n=trixie\nPin-Priority: 50\n' >"$pref"
  [ -e "$list" ] || printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$(debian_mirror)" >"$list"
}

debian_mirror() {
  local uri=""
  [ -r /etc/apt/sources.list.d/debian.sources ] &&
    uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
      /etc/apt/sources.list.d/debian.sources)"
  echo "${uri:-http://deb.debian.org/debian}"
}

TRIXIE_PKGS=(docker.io/trixie docker-cli/trixie docker-buildx/trixie containerd/trixie cosign/trixie oras/trixie)
BOOKWORM_PKGS=(qemu-user-static binfmt-support buildah apache2-utils)

need_install=0
[ -x "$DOCKER" ] && [ "$(client_major)" -ge "$MIN_MAJOR" ] 2>/dev/null || need_install=1
[ -x /usr/libexec/docker/cli-plugins/docker-buildx ] || need_install=1
command -v buildah >/dev/null 2>&1 || need_install=1
command -v htpasswd >/dev/null 2>&1 || need_install=1
[ -e /usr/lib/binfmt.d/qemu-aarch64.conf ] || need_install=1
command -v cosign >/dev/null 2>&1 || need_install=1
command -v oras >/dev/null 2>&1 || need_install=1
if [ "$need_install" = 1 ]; then
  add_trixie
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$STATE/apt-update.log" 2>&1 ||
    { tail -n 20 "$STATE/apt-update.log" >&2; die "apt-get update failed (log: $STATE/apt-update.log)"; }
  # Refuse an install that would replace the C library (or anything essential) with trixie's.
  plan="$(DEBIAN_FRONTEND=noninteractive apt-get install -s --no-install-recommends \
    "${TRIXIE_PKGS[@]}" "${BOOKWORM_PKGS[@]}" 2>&1)" || { echo "$plan" | tail -n 20 >&2; die "apt cannot install the engine packages"; }
  if echo "$plan" | grep -E '^Inst (libc6|libc-bin|libstdc\+\+6|libgcc-s1|systemd) ' >&2; then
    die "installing Docker from trixie would upgrade the system libraries above; install Docker >= $MIN_MAJOR with buildx yourself (docs.docker.com) and re-run"
  fi
  apt_install "${TRIXIE_PKGS[@]}" "${BOOKWORM_PKGS[@]}"
fi

# --- qemu for linux/arm64 --------------------------------------------------------------------
# Kernel-wide: registered once per boot. F (fix binary) opens the interpreter now, so it also works
# inside containers and chroots whose root lacks it.
if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null ||
    echo "setup-engine: cannot mount binfmt_misc: linux/arm64 builds will be refused" >&2
fi
if [ -e /proc/sys/fs/binfmt_misc/register ] && [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  # Debian's entry has flags OPF (its -P wrapper needs P); make sure F is there.
  sed -n '/^:qemu-aarch64:/{/:[A-Z]*F[A-Z]*$/!s/$/F/;p}' /usr/lib/binfmt.d/qemu-aarch64.conf \
    >/proc/sys/fs/binfmt_misc/register ||
    echo "setup-engine: cannot register qemu-aarch64: linux/arm64 builds will be refused" >&2
fi

# --- the daemon ------------------------------------------------------------------------------
modern() {
  [ "$(server_major)" -ge "$MIN_MAJOR" ] 2>/dev/null || return 1
  # The containerd store reports its snapshotter as the storage driver.
  [ "$("$DOCKER" info --format '{{.Driver}}' 2>/dev/null)" = overlayfs ]
}

if "$DOCKER" info >/dev/null 2>&1; then
  modern && exit 0
  echo "setup-engine: replacing the running Docker $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null) (needs >= $MIN_MAJOR with the containerd image store)" >&2
  pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      [ -d "/proc/$pid" ] || break
      sleep 0.5
    done
  fi
fi

cat >"$STATE/daemon.json" <<'EOF'
{
  "features": { "containerd-snapshotter": true },
  "storage-driver": "overlayfs",
  "bridge": "none",
  "iptables": false,
  "ip-masq": false
}
EOF

pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
  : >"$LOG"
  setsid dockerd --config-file "$STATE/daemon.json" </dev/null >>"$LOG" 2>&1 &
fi

deadline=$((SECONDS + WAIT_S))
until "$DOCKER" info >/dev/null 2>&1; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "--- last lines of $LOG ---" >&2
    tail -n 40 "$LOG" >&2 || true
    die "dockerd did not answer \`$DOCKER info\` within ${WAIT_S}s (log: $LOG)"
  fi
  sleep 0.5
done
modern || die "dockerd answers but is not Docker >= $MIN_MAJOR with the containerd image store (storage driver $("$DOCKER" info --format '{{.Driver}}'))"
