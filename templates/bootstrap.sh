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

{{#image}}
# No cloud-init runs at image build time: write the shell library first, for
# this script and for the node tools of the image.
install -D -m 0644 /dev/stdin {{library}} <<'{{libraryDelimiter}}'
{{{libraryContent}}}{{libraryDelimiter}}
{{/image}}
# Logging, retries, apt and kubectl helpers shared with the node tools.
. {{library}}
# The site proxy (profile proxy), if any, for every step's downloads; containerd and
# kubelet read the same values from their drop-ins.
{{#proxyExports}}
export {{name}}={{value}}
{{/proxyExports}}

readonly LOG_FILE={{logPath}}
readonly SUCCESS_MARKER={{successMarker}}
readonly FAILURE_MARKER={{failureMarker}}
{{^image}}
readonly KUBEADM_CONFIG={{kubeadmConfig}}
readonly KUBEADM_PATCHES={{kubeadmPatches}}
{{/image}}

mkdir -p "$STATE_DIR" "$(dirname "$SUCCESS_MARKER")"
chmod 0700 "$STATE_DIR"
log_to_file "$LOG_FILE"

{{#steps}}
step_{{fn}}() {
{{{body}}}
}

{{/steps}}
# run_step (library) calls this when a step fails: the marker names the step.
step_failed() { printf '%s\n' "$1" >"$FAILURE_MARKER"; }

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
# What differs between distributions is decided here at boot, not in the profile.
detect_os /etc/os-release || :
log "detected OS: $OS_ID $OS_VERSION_ID (family $OS_FAMILY)"
{{#debianFamily}}
if [ "$OS_FAMILY" != debian ]; then
  log "needs Debian or Ubuntu; for Flatcar use --format ignition"
  echo os >"$FAILURE_MARKER"
  exit 1
fi
{{/debianFamily}}
{{#flatcar}}
if [ "$OS_ID" != flatcar ]; then
  log "this is Flatcar's bootstrap (from --format ignition); Debian and Ubuntu nodes take --format cloud-init"
  echo os >"$FAILURE_MARKER"
  exit 1
fi
{{/flatcar}}
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
