#!/bin/bash
# gen-userdata: closes the join window. Deletes bootstrap token {{tokenId}} (the
# Secret kube-system/bootstrap-token-{{tokenId}}) as soon as every node named in the
# profile ({{expectedNodes}}) is registered, or once the token's ttl has passed
# (the expiration kubeadm wrote into the Secret, counted from kubeadm init), and
# then disables its own timer. Runs every minute from {{timer}}.
set -euo pipefail
# log, kubectl_admin (the shared shell library).
. {{library}}

readonly TOKEN_ID={{tokenId}}
readonly SECRET=bootstrap-token-{{tokenId}}
readonly EXPECTED={{expectedNodes}}
readonly LOG_FILE={{logPath}}
readonly BOOTSTRAP_DONE={{successMarker}}
readonly TIMER={{timer}}

mkdir -p "$(dirname "$LOG_FILE")"
touch "$LOG_FILE"

# Logs into LOG_FILE, but not the same message twice in a row (this runs every
# minute while the cluster waits for its nodes).
note() {
  local last
  last=$(tail -n 1 "$LOG_FILE" | cut -d' ' -f2-)
  [ "$last" = "$*" ] || log "$*" 2>>"$LOG_FILE"
}

disable_timer() {
  systemctl disable --now "$TIMER" >>"$LOG_FILE" 2>&1 || note "could not disable $TIMER"
}

# The token exists once kubeadm init is through; the bootstrap's success marker
# says so (before that, a missing Secret would look like an already closed window).
if [ ! -f "$BOOTSTRAP_DONE" ]; then
  note "waiting for the bootstrap to finish"
  exit 0
fi

if ! found=$(kubectl_admin -n kube-system get secret "$SECRET" --ignore-not-found -o name 2>>"$LOG_FILE"); then
  note "cannot reach the API server; trying again in a minute"
  exit 0
fi
if [ -z "$found" ]; then
  note "bootstrap token $TOKEN_ID is already gone (expired or deleted); nothing to do"
  disable_timer
  exit 0
fi

if ! registered=$(kubectl_admin get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>>"$LOG_FILE"); then
  note "cannot list nodes; trying again in a minute"
  exit 0
fi
# A control plane registers its Node before its etcd member joins; only the label
# set by kubeadm's last join phase says it is done (a failed join retries with the token).
if ! control_planes=$(kubectl_admin get nodes -l node-role.kubernetes.io/control-plane -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' 2>>"$LOG_FILE"); then
  note "cannot list control-plane nodes; trying again in a minute"
  exit 0
fi
missing=()
while read -r name role _; do
  [ -n "$name" ] || continue
  if [ "$role" = control-plane ]; then
    grep -qxF -- "$name" <<<"$control_planes" || missing+=("$name")
  else
    grep -qxF -- "$name" <<<"$registered" || missing+=("$name")
  fi
done <"$EXPECTED"

reason=""
if [ "${#missing[@]}" -eq 0 ]; then
  reason="every node of the profile is registered"
else
  # No expiration field means ttl 0: the token never expires by itself.
  expiration=$(kubectl_admin -n kube-system get secret "$SECRET" -o jsonpath='{.data.expiration}' 2>>"$LOG_FILE" | base64 -d 2>/dev/null || true)
  if [ -n "$expiration" ] && [ "$(date -u +%s)" -ge "$(date -u -d "$expiration" +%s)" ]; then
    reason="its ttl has passed (expired $expiration; not registered: ${missing[*]})"
  fi
fi
if [ -z "$reason" ]; then
  note "waiting for ${#missing[@]} node(s) to register: ${missing[*]}"
  exit 0
fi

kubectl_admin -n kube-system delete secret "$SECRET" --ignore-not-found >>"$LOG_FILE" 2>&1
note "deleted bootstrap token $TOKEN_ID: $reason"
disable_timer
