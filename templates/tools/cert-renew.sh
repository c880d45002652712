#!/bin/bash
# gen-userdata-cert-renew: kubeadm's leaf certificates live one year and only an
# upgrade renews them. Run daily by gen-userdata-cert-renew.timer: when any
# certificate that `kubeadm certs check-expiration` lists expires within
# {{renewBefore}}, renew them all and restart the control-plane static pods (moving
# their manifests out and back, as kubeadm's documentation does), then log it.
# Each run also records the earliest expiry in ConfigMap kube-system/{{certsConfigMap}}
# under this node's name, which `gen-userdata status` prints.
# `--check` only prints the earliest expiry.
set -Eeuo pipefail
. {{library}}

readonly RENEW_BEFORE_SECONDS={{renewBeforeSeconds}}
readonly MANIFESTS=/etc/kubernetes/manifests
readonly LOG_FILE=/var/log/gen-userdata/cert-renew.log

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"
if [ ! -f "$ADMIN_KUBECONFIG" ]; then
  log "no $ADMIN_KUBECONFIG yet"
  exit 0
fi

# Seconds left of the certificate that expires first: kubeadm's RESIDUAL TIME
# column ("364d", "23h", "9y") of the certificates table (the CAs come after it).
earliest_seconds() {
  kubeadm certs check-expiration | awk '
    /^CERTIFICATE AUTHORITY/ { exit }
    /^CERTIFICATE/ { next }
    NF >= 7 {
      for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+[smhdy]$/) {
        n = substr($i, 1, length($i) - 1); u = substr($i, length($i))
        s = n * (u == "s" ? 1 : u == "m" ? 60 : u == "h" ? 3600 : u == "d" ? 86400 : 31536000)
        if (min == "" || s < min) { min = s; name = $1 }
        break
      }
      if ($0 ~ /invalid|expired/ ) { min = 0; name = $1 }
    }
    END { if (min != "") print min, name }'
}

# publish SECONDS_LEFT CERT: "<expiry, RFC 3339> <cert>" as this node's key of the
# ConfigMap. A failure is logged, never fatal: the renewal matters more.
publish() {
  local cm={{certsConfigMap}} expires
  expires=$(date -u -d "@$(($(date -u +%s) + $1))" +%Y-%m-%dT%H:%M:%SZ)
  kubectl_admin --request-timeout=15s -n kube-system get configmap "$cm" >/dev/null 2>&1 || kubectl_admin --request-timeout=15s -n kube-system create configmap "$cm" >/dev/null 2>&1 || true
  if kubectl_admin --request-timeout=15s -n kube-system patch configmap "$cm" --type merge -p "{\"data\":{\"$(hostname)\":\"$expires $2\"}}" >/dev/null; then
    log "recorded in ConfigMap kube-system/$cm: $2 expires first, at $expires"
  else
    log "could not record the expiry in ConfigMap kube-system/$cm"
  fi
}

read -r left which < <(earliest_seconds) || die "no certificate listed"
days=$((left / 86400))
if [ "${1:-}" = --check ]; then
  echo "earliest expiry: $which in ${days}d"
  exit 0
fi
log_to_file "$LOG_FILE"
if [ "$left" -gt "$RENEW_BEFORE_SECONDS" ]; then
  log "certificates fine: $which expires first, in ${days}d"
  publish "$left" "$which"
  exit 0
fi

log "$which expires in ${days}d: renewing all certificates"
kubeadm certs renew all
# A static pod restarts only when its manifest changes: move them out, wait until
# kubelet has stopped the pods, and move them back.
parked=$(mktemp -d /etc/kubernetes/manifests-parked.XXXXXX)
mv "$MANIFESTS"/*.yaml "$parked"/
pods_stopped() { [ -z "$(crictl ps --name '^(kube-apiserver|kube-controller-manager|kube-scheduler|etcd)$' -q 2>/dev/null)" ]; }
wait_until 120 "the control-plane pods to stop" pods_stopped || true
mv "$parked"/*.yaml "$MANIFESTS"/
rmdir "$parked"
api_ready() { kubectl_admin get --raw=/readyz >/dev/null 2>&1; }
wait_until 300 "the API server" api_ready
# Root's kubeconfig was a copy of admin.conf, which kubeadm has just renewed.
if [ -f /root/.kube/config ]; then install -m 0600 "$ADMIN_KUBECONFIG" /root/.kube/config; fi
read -r left which < <(earliest_seconds)
log "renewed; $which now expires first, in $((left / 86400))d"
publish "$left" "$which"
