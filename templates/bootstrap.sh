#!/bin/bash
{{^image}}
# gen-userdata first-boot bootstrap: node {{node}} ({{role}}) of cluster {{cluster}}.
# Generated file; re-running it is safe: every step is idempotent, and a node
# that already finished (success marker present) exits at once.
{{/image}}
{{#image}}
# gen-userdata provision.sh for cluster {{cluster}}: the node-independent part of
# first boot, run once while a golden image is built (image.prebaked nodes then skip
# it). The steps are the bootstrap's own; re-running the script is safe.
{{/image}}
set -Eeuo pipefail
umask 022
export PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

readonly LOG_FILE={{logPath}}
readonly SUCCESS_MARKER={{successMarker}}
readonly FAILURE_MARKER={{failureMarker}}
{{^image}}
readonly KUBEADM_CONFIG={{kubeadmConfig}}
# shellcheck disable=SC2034 # used by the init node's steps only
readonly ADMIN_KUBECONFIG=/etc/kubernetes/admin.conf
{{/image}}
readonly STATE_DIR=/var/lib/gen-userdata

mkdir -p "$(dirname "$LOG_FILE")" "$STATE_DIR" "$(dirname "$SUCCESS_MARKER")"
# The log may quote kubeadm's output; keep it from other users.
chmod 0700 "$STATE_DIR" "$(dirname "$LOG_FILE")"
exec > >(tee -a "$LOG_FILE") 2>&1

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*"; }

# Succeeds when host:port accepts a TCP connection within 5 seconds.
endpoint_reachable() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner shell
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Whole seconds since boot (monotonic, unlike the wall clock).
uptime_seconds() {
  local up
  read -r up _ </proc/uptime
  printf '%s\n' "${up%.*}"
}

# kubeadm reset empties /etc/kubernetes/pki, which on a control plane holds the
# shared CAs that came with the user-data, and /etc/kubernetes/manifests, which on
# the init node holds the kube-vip static pod that brings up the VIP; keep both
# across the reset.
reset_node() {
  local keep=/var/lib/gen-userdata/pki-keep
  local vip=/etc/kubernetes/manifests/kube-vip.yaml vip_keep=/var/lib/gen-userdata/kube-vip.yaml.keep
  rm -rf "$keep"
  if [ -f /etc/kubernetes/pki/ca.key ]; then
    mkdir -p "$keep"
    chmod 0700 "$keep"
    cp -a /etc/kubernetes/pki/. "$keep/"
  fi
  if [ -f "$vip" ]; then cp -a "$vip" "$vip_keep"; fi
  kubeadm reset -f || log "kubeadm reset reported an error; continuing"
  if [ -f "$vip_keep" ]; then
    mkdir -p "$(dirname "$vip")"
    mv -f "$vip_keep" "$vip"
  fi
  if [ -d "$keep" ]; then
    mkdir -p /etc/kubernetes/pki
    for f in ca.crt ca.key front-proxy-ca.crt front-proxy-ca.key sa.pub sa.key etcd/ca.crt etcd/ca.key; do
      if [ -f "$keep/$f" ]; then
        mkdir -p "$(dirname "/etc/kubernetes/pki/$f")"
        cp -a "$keep/$f" "/etc/kubernetes/pki/$f"
      fi
    done
    rm -rf "$keep"
  fi
}

# apt-get that waits for a lock held by another first-boot job (e.g. unattended
# upgrades on Ubuntu) instead of failing, and retries flaky downloads.
apt_get() {
  apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"
}

# Verifies that an installed tool reports the expected version string.
expect_version() {
  local what=$1 expected=$2 actual=$3
  if ! grep -qF -- "$expected" <<<"$actual"; then
    log "version mismatch for $what: expected $expected, got: $actual"
    return 1
  fi
  log "$what: $expected"
}

{{#steps}}
step_{{fn}}() {
{{{body}}}
}

{{/steps}}
run_step() {
  local name=$1 fn=$2 rc
  log "==> step $name"
  set +e
  ( set -Eeuo pipefail; "$fn" )
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    log "!!! step $name failed (exit $rc)"
    printf '%s\n' "$name" >"$FAILURE_MARKER"
    exit "$rc"
  fi
  log "<== step $name ok"
}

{{^image}}
if [ -f "$SUCCESS_MARKER" ]; then
  log "bootstrap already completed ($SUCCESS_MARKER); nothing to do"
  exit 0
fi
{{/image}}
rm -f "$FAILURE_MARKER"
{{^image}}
log "gen-userdata bootstrap of" {{node}} "({{role}}) starting"
{{/image}}
{{#image}}
log "gen-userdata provisioning of a golden image for cluster" {{cluster}} starting
{{/image}}
{{#steps}}
run_step {{name}} step_{{fn}}
{{/steps}}
date -u +%Y-%m-%dT%H:%M:%SZ >"$SUCCESS_MARKER"
{{^image}}
log "gen-userdata bootstrap of" {{node}} finished
{{/image}}
{{#image}}
log "gen-userdata provisioning finished; shut the machine down and capture the image"
{{/image}}
