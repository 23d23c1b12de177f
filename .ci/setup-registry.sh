#!/usr/bin/env bash
# Run a local, auth-less image registry on http://127.0.0.1:5000 (IMAGESMITH_REGISTRY_ADDR; Debian docker-registry),
# storing blobs under ${IMAGESMITH_STATE:-/tmp/imagesmith-ci}/registry, delete enabled.
# Idempotent and quiet: does nothing when http://127.0.0.1:5000/v2/ already answers 200.
set -euo pipefail

STATE="${IMAGESMITH_STATE:-/tmp/imagesmith-ci}"
ADDR="${IMAGESMITH_REGISTRY_ADDR:-127.0.0.1:5000}"
CONFIG="$STATE/registry.yml"
LOG="$STATE/registry.log"
WAIT_S="${IMAGESMITH_REGISTRY_WAIT_S:-30}"
mkdir -p "$STATE/registry"

NAME=setup-registry
# shellcheck source=.ci/lib.sh
. "$(dirname "$0")/lib.sh"

status() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://$ADDR/v2/" 2>/dev/null || true; }

[ "$(id -u)" = 0 ] || die "run as root (installs packages)"
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates

code="$(status)"
[ "$code" = 200 ] && exit 0
if [ "$code" = 401 ]; then
  die "something on $ADDR answers /v2/ with 401 (auth on; probably the packaged docker-registry service). Stop it (e.g. \`service docker-registry stop\`) and re-run."
fi

command -v docker-registry >/dev/null 2>&1 || apt_install docker-registry

cat >"$CONFIG" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $STATE/registry
  delete:
    enabled: true
http:
  addr: $ADDR
YAML

: >"$LOG"
setsid docker-registry serve "$CONFIG" </dev/null >>"$LOG" 2>&1 &

deadline=$((SECONDS + WAIT_S))
until [ "$(status)" = 200 ]; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "--- last lines of $LOG ---" >&2
    tail -n 40 "$LOG" >&2 || true
    die "the registry did not answer http://$ADDR/v2/ within ${WAIT_S}s (config: $CONFIG, log: $LOG)"
  fi
  sleep 0.3
done
