#!/usr/bin/env bash
# A standalone BuildKit daemon, like the ones CI fleets run, and the buildx builder that reaches it:
#   buildkitd v0.35.0 (built once per machine by .ci/build-buildkitd.sh), its own state under
#   ${IMAGESMITH_STATE:-/tmp/imagesmith-ci}/buildkitd, listening on
#   unix://${IMAGESMITH_BUILDKITD_SOCKET:-/run/imagesmith-buildkitd/buildkitd.sock};
#   the OCI worker on bookworm's runc with host networking (these machines have no bridge), plain
#   HTTP to the local registry 127.0.0.1:5000 (IMAGESMITH_REGISTRY_ADDR);
#   the buildx builder `imagesmith-remote` (driver remote) on that socket:
#     IMAGESMITH_BUILDER=imagesmith-remote imagesmith build ...
# Idempotent and quiet: a daemon that answers on the socket is kept, a builder that points at the
# socket is kept. Log: $STATE/buildkitd.log (its tail is printed when the daemon does not come up).
set -euo pipefail

STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
SOCKET="${IMAGESMITH_BUILDKITD_SOCKET:-/run/imagesmith-buildkitd/buildkitd.sock}"
REGISTRY="${IMAGESMITH_REGISTRY_ADDR:-127.0.0.1:5000}"
BUILDER=imagesmith-remote
DOCKER=/usr/bin/docker
ROOT="$STATE/buildkitd"
CONFIG="$STATE/buildkitd.toml"
LOG="$STATE/buildkitd.log"
PIDFILE="$STATE/buildkitd.pid"
WAIT_S="${IMAGESMITH_BUILDKITD_WAIT_S:-60}"
ADDR="unix://$SOCKET"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$STATE"

NAME=setup-buildkitd
# shellcheck source=.ci/lib.sh
. "$HERE/lib.sh"

[ "$(id -u)" = 0 ] || die "run as root (buildkitd runs build containers with runc)"
bin="$(bash "$HERE/build-buildkitd.sh")" || die "bash .ci/build-buildkitd.sh failed"
BUILDKITD="$bin/buildkitd"
BUILDCTL="$bin/buildctl"

answers() { "$BUILDCTL" --addr "$ADDR" --timeout 3 debug workers >/dev/null 2>&1; }

fail() {
  echo "--- last lines of $LOG ---" >&2
  tail -n 40 "$LOG" >&2 || true
  die "$*"
}

# --- the daemon ------------------------------------------------------------------------------
if ! answers; then
  command -v runc >/dev/null 2>&1 || apt_install runc
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  if [ -n "$pid" ] && [ -d "/proc/$pid" ] && grep -qa buildkitd "/proc/$pid/cmdline"; then
    # Ours, but not answering: replace it (its lock on $ROOT would refuse a second daemon).
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do [ -d "/proc/$pid" ] || break; sleep 0.25; done
  fi
  mkdir -p "$ROOT" "$(dirname "$SOCKET")"
  # A socket left by a daemon that died would make the new one fail with "address already in use".
  rm -f "$SOCKET"
  # network.host: buildx asks for it with `--network host`, which imagesmith passes to every build.
  # otel socketPath: by default each daemon would listen on /run/buildkit/otel-grpc.sock, shared
  # with any other buildkitd on the machine.
  cat >"$CONFIG" <<EOF
root = "$ROOT"
insecure-entitlements = ["network.host"]

[grpc]
  address = ["$ADDR"]

[otel]
  socketPath = "$(dirname "$SOCKET")/otel-grpc.sock"

[worker.oci]
  enabled = true
  binary = "$(command -v runc)"
  networkMode = "host"

[worker.containerd]
  enabled = false

[registry."$REGISTRY"]
  http = true
EOF
  : >"$LOG"
  setsid "$BUILDKITD" --config "$CONFIG" </dev/null >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  deadline=$((SECONDS + WAIT_S))
  until answers; do
    pid="$(cat "$PIDFILE")"
    [ -d "/proc/$pid" ] || fail "buildkitd exited while starting (config: $CONFIG, log: $LOG)"
    [ "$SECONDS" -lt "$deadline" ] ||
      fail "buildkitd did not answer \`buildctl --addr $ADDR debug workers\` within ${WAIT_S}s (config: $CONFIG, log: $LOG)"
    sleep 0.3
  done
fi

# --- the buildx builder ----------------------------------------------------------------------
endpoint() {
  "$DOCKER" buildx inspect "$BUILDER" 2>/dev/null | awk '$1 == "Endpoint:" { print $2; exit }'
}
if [ "$(endpoint)" != "$ADDR" ]; then
  "$DOCKER" buildx rm "$BUILDER" >/dev/null 2>&1 || true
  "$DOCKER" buildx create --name "$BUILDER" --driver remote "$ADDR" >/dev/null ||
    fail "docker buildx create --name $BUILDER --driver remote $ADDR failed"
fi
inspect="$("$DOCKER" buildx inspect "$BUILDER" 2>&1)" ||
  fail "docker buildx inspect $BUILDER failed: $inspect"
echo "$inspect" | grep -Eq '^Status:[[:space:]]+running' ||
  fail "the buildx builder $BUILDER is not running: $(echo "$inspect" | tr '\n' ' ')"
