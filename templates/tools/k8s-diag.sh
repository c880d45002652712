#!/bin/bash
# k8s-diag: collects what is needed to debug this node into one tarball (0600):
# the bootstrap log and markers, the cluster report, kubectl views of the cluster,
# kubelet and containerd logs, containers, network, firewall, the sysctls and
# modules the bootstrap set{{#controlPlane}}, certificate expiry{{/controlPlane}}, disk and memory.
# It works with the API server down: what cannot be collected is listed in NOTES.
# Private keys, bootstrap tokens and kubeconfig credentials are never collected,
# and every file is redacted and scanned before it goes into the tarball.
#
# Usage: k8s-diag [--output FILE]   (default /var/tmp/k8s-diag-<node>-<time>.tar.gz)
set -Eeuo pipefail
. {{library}}

output=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --output) output=${2:?--output needs a file}; shift 2 ;;
    *) die "usage: k8s-diag [--output FILE]" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"
node=$(hostname)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
output=${output:-/var/tmp/k8s-diag-$node-$stamp.tar.gz}
umask 077
work=$(mktemp -d /var/tmp/k8s-diag.XXXXXX)
trap 'rm -rf "$work"' EXIT
dir="$work/k8s-diag-$node-$stamp"
mkdir -p "$dir"

# Removes what must never leave the node: PEM private keys ("PRIVATE[ ]KEY": this
# script must not match its own secret scans), bootstrap tokens,
# kubeadm certificate keys and kubeconfig credentials.
redact() {
  sed -E \
    -e '/-----BEGIN [A-Z ]*PRIVATE[ ]KEY-----/,/-----END [A-Z ]*PRIVATE[ ]KEY-----/c\<private key removed>' \
    -e 's/[a-z0-9]{6}\.[a-z0-9]{16}/<token removed>/g' \
    -e 's/(--certificate-key[ =])[0-9a-f]{64}/\1<removed>/g' \
    -e 's/((client-key-data|client-certificate-data|token|password):[[:space:]]*).*/\1<removed>/'
}

# collect NAME CMD...: the command's output (bounded in time), redacted, into NAME;
# a failure is noted, not fatal.
collect() {
  local name=$1 rc=0
  shift
  mkdir -p "$(dirname "$dir/$name")"
  timeout 60 "$@" 2>&1 | redact >"$dir/$name" || rc=$?
  if [ "$rc" -ne 0 ]; then
    printf '%s: exit %s: %s\n' "$name" "$rc" "$*" >>"$dir/NOTES"
  fi
}

# kubectl with the best credentials this node has: admin.conf on a control plane,
# the kubelet's own on a worker (which may read only a little).
kubeconfig=/etc/kubernetes/kubelet.conf
{{#controlPlane}}
if [ -f "$ADMIN_KUBECONFIG" ]; then kubeconfig=$ADMIN_KUBECONFIG; fi
{{/controlPlane}}
kc=(kubectl --kubeconfig "$kubeconfig" --request-timeout=15s)


# The bootstrap: its log and markers, and the verification report when present.
collect bootstrap/bootstrap.log cat {{bootstrapLog}}
for marker in {{successMarker}} {{failureMarker}}; do
  if [ -f "$marker" ]; then collect "bootstrap/$(basename "$marker")" cat "$marker"; fi
done
if [ -f {{clusterStatus}} ]; then
  collect bootstrap/cluster-status.json cat {{clusterStatus}}
else
  echo "no report at {{clusterStatus}}" >>"$dir/NOTES"
fi

# The cluster as the API server sees it.
if "${kc[@]}" get --raw=/readyz >/dev/null 2>&1; then
  collect kubectl/nodes.txt "${kc[@]}" get nodes -o wide
  collect kubectl/pods.txt "${kc[@]}" get pods -A -o wide
  collect kubectl/events.txt "${kc[@]}" get events -A --sort-by=.metadata.creationTimestamp
  collect kubectl/describe-node.txt "${kc[@]}" describe node "$node"
else
  echo "kubectl: the API server did not answer" >>"$dir/NOTES"
fi

# This node.
collect logs/journal-kubelet-containerd.txt journalctl -u kubelet -u containerd --no-pager -n 5000
collect containers/crictl-ps.txt crictl ps -a
collect containers/crictl-images.txt crictl images
# Tails of the containers that are not running (at most 20).
while read -r id; do
  [ -n "$id" ] || continue
  collect "containers/logs/$id.txt" crictl logs --tail 200 "$id"
done < <(timeout 30 crictl ps -a --state exited -q 2>/dev/null | head -n 20 || true)
collect network/ip-addr.txt ip addr
collect network/ip-route.txt ip route
if command -v ufw >/dev/null 2>&1; then
  collect network/ufw-status.txt ufw status verbose
fi
if command -v nft >/dev/null 2>&1; then
  collect network/nft-ruleset.txt nft list ruleset
else
  collect network/iptables-save.txt iptables-save
fi
# The kernel settings the bootstrap made, as they are now.
if [ -f {{sysctlFile}} ]; then
  mapfile -t keys < <(sed -nE 's/^[[:space:]]*([a-z0-9_.]+)[[:space:]]*=.*/\1/p' {{sysctlFile}})
  collect host/sysctl.txt sysctl "${keys[@]}"
fi
if [ -f {{modulesFile}} ]; then
  collect host/modules.txt grep -wE "^($(grep -vE '^[[:space:]]*(#|$)' {{modulesFile}} | paste -sd '|'))" /proc/modules
fi
collect host/disk.txt df -h
collect host/memory.txt free -m
{{#controlPlane}}
collect host/certs-check-expiration.txt kubeadm certs check-expiration
{{/controlPlane}}

# Last line of defence: nothing secret-looking leaves the node.
while IFS= read -r leaked; do
  rm -f "$leaked"
  echo "${leaked#"$dir"/}: removed (looked secret)" >>"$dir/NOTES"
done < <(grep -rlE 'PRIVATE[ ]KEY|[a-z0-9]{6}\.[a-z0-9]{16}' "$dir" --exclude=NOTES || true)

tar -C "$work" -czf "$output.part" "$(basename "$dir")"
chmod 0600 "$output.part"
mv -f "$output.part" "$output"
echo "$output"
