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

NAME=setup-engine
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root (installs packages and starts dockerd)"

if [ ! -x "$DOCKER" ]; then
  apt_install docker.io
fi

# htpasswd -B (bcrypt) makes the password file of the auth registry in test/registry-auth.e2e.test.ts.
command -v htpasswd >/dev/null 2>&1 || apt_install apache2-utils
# buildah: the reproducible-build e2e test (test/reproducible-build.e2e.test.ts) and IMAGESMITH_ENGINE=buildah.
command -v buildah >/dev/null 2>&1 || apt_install buildah

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
