#!/usr/bin/env bash
# Make a Docker engine answer on this machine (root, Debian bookworm).
#   - installs Debian's docker.io when /usr/bin/docker is missing;
#   - starts dockerd without bridge networking or iptables (builds use --network host,
#     test containers --network none) unless `/usr/bin/docker info` already answers.
# Idempotent and quiet; prints the dockerd log tail when the engine does not come up.
# Log: ${IMAGESMITH_STATE:-/tmp/imagesmith-ci}/dockerd.log
set -euo pipefail

STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
DOCKER=/usr/bin/docker
LOG="$STATE/dockerd.log"
WAIT_S="${IMAGESMITH_ENGINE_WAIT_S:-60}"
mkdir -p "$STATE"

die() { echo "setup-engine: $*" >&2; exit 1; }

# apt-get install without letting package scripts start services (no policy-rc.d => they would
# start dockerd with its default bridge/iptables settings, which fail on these machines).
apt_install() {
  local added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
  fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } \
    >"$STATE/apt-$1.log" 2>&1 || rc=$?
  [ "$added_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ]; then
    tail -n 30 "$STATE/apt-$1.log" >&2
    die "apt-get install $* failed (full log: $STATE/apt-$1.log). Check the Debian mirror in /etc/apt/sources.list.d/."
  fi
}

[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"

if [ ! -x "$DOCKER" ]; then
  apt_install docker.io
fi

if "$DOCKER" info >/dev/null 2>&1; then
  exit 0
fi

# Start dockerd unless one is already starting (a second one would fail on /var/run/docker.pid).
pid="$(cat /var/run/docker.pid 2>/dev/null || true)"
if [ -z "$pid" ] || [ ! -d "/proc/$pid" ]; then
  : >"$LOG"
  setsid dockerd --bridge=none --iptables=false --ip-masq=false </dev/null >>"$LOG" 2>&1 &
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
