# Shared by the .ci scripts; each sets NAME and STATE, then sources this file.

die() { echo "$NAME: $*" >&2; exit 1; }

# apt-get install without letting package scripts start services (policy-rc.d exit 101): the
# packaged dockerd would start with bridge/iptables settings that fail on these machines, and the
# packaged docker-registry would take port 5000 with htpasswd auth turned on.
apt_install() {
  local added_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=1
  fi
  local rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } \
    >"$STATE/apt-${1//\//_}.log" 2>&1 || rc=$?
  [ "$added_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" != 0 ]; then
    tail -n 30 "$STATE/apt-${1//\//_}.log" >&2
    die "apt-get install $* failed (full log: $STATE/apt-${1//\//_}.log). Check the Debian mirror in /etc/apt/sources.list.d/."
  fi
}
