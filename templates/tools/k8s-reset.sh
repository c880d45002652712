#!/bin/bash
# k8s-reset: takes this node out of Kubernetes so that its bootstrap can run again:
# kubeadm reset -f (keeping the shared CAs{{#controlPlane}} and kube-vip's manifest{{/controlPlane}}, as the bootstrap's
# own reset does), a containerd restart, the CNI interfaces and state removed,
# root's kubeconfig removed and the bootstrap markers cleared. It does not flush
# iptables: that would drop the host firewall too (kube-proxy and the CNI clean
# their own chains when they start again).
#
# Usage: k8s-reset [--yes]   (asks first unless --yes)
set -Eeuo pipefail
. {{library}}

yes=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --yes|-y) yes=1; shift ;;
    *) die "usage: k8s-reset [--yes]" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"

if [ "$yes" -ne 1 ]; then
  [ -t 0 ] || die "not a terminal: pass --yes to reset without asking"
  echo "kubeadm reset -f of $(hostname), CNI state and bootstrap markers removed."
{{#init}}
  echo "First control plane: its bootstrap then makes a NEW cluster (empty etcd)."
{{/init}}
  read -r -p "Type yes to continue: " answer
  [ "$answer" = yes ] || die "not reset"
fi

reset_node
systemctl restart containerd
# The CNI's interfaces: Flannel's cni0/flannel.1, Calico's tunl0, vxlan.calico and cali*.
# Looked up in /sys, not with `ip link show NAME`: asking for tunl0 by name loads
# the ipip module (its netdev-tunl0 alias), which creates a tunl0 nobody can delete.
mapfile -t calico_links < <(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep '^cali' || true)
for link in cni0 flannel.1 vxlan.calico tunl0 "${calico_links[@]}"; do
  [ -e "/sys/class/net/$link" ] || continue
  if ip link delete "$link" 2>/dev/null; then
    log "deleted interface $link"
  else
    log "could not delete interface $link (kernel-owned); harmless"
  fi
done
rm -rf /etc/cni/net.d /var/lib/cni
rm -f /root/.kube/config
rm -f {{successMarker}} {{failureMarker}}
log "done; join again with {{bootstrap}}"
