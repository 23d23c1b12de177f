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

die() { echo "setup-registry: $*" >&2; exit 1; }

# apt-get install without letting package scripts start services: the packaged docker-registry
# service would take port 5000 with htpasswd auth turned on.
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
