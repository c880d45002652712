#!/bin/bash
# Stand-ins for the commands the node tools call (kubectl, kubeadm, crictl,
# journalctl, ip, ufw, nft, sysctl, systemctl), for node-tools.test.ts: one script
# dispatched on its name. Every call is appended to $STANDIN_STATE/calls. Outputs
# carry a bootstrap token and private keys where real ones could, so that the
# tests can check k8s-diag's redaction.
set -euo pipefail
S=${STANDIN_STATE:?}
me=$(basename "$0")
printf '%s %s\n' "$me" "$*" >>"$S/calls"
token=abcdef.0123456789abcdef
key() { printf -- '-----BEGIN %s-----\nMHcCAQEEIBx\n-----END %s-----\n' "$1" "$1"; }
case "$me" in
  kubectl)
    [ ! -f "$S/api-down" ] || { echo "The connection to the server was refused" >&2; exit 1; }
    case "$*" in
      *"get --raw=/readyz"*) echo ok ;;
      *"get configmap gen-userdata-certs"*) [ -f "$S/certs-cm" ] ;;
      *"create configmap gen-userdata-certs"*) touch "$S/certs-cm" ;;
      *"patch configmap gen-userdata-certs --type merge -p "*) printf '%s\n' "${!#}" >>"$S/certs-cm" ;;
      *"get nodes"*) echo "NAME STATUS ROLES AGE VERSION"; echo "cp-1 Ready control-plane 1d v1.31.2" ;;
      *"get pods"*) echo "NAMESPACE NAME READY STATUS"; echo "kube-system etcd-cp-1 1/1 Running" ;;
      *"get events"*) echo "LAST SEEN TYPE REASON OBJECT MESSAGE" ;;
      *"describe node"*) echo "Name: cp-1"; echo "Annotations: token: $token"; key "EC PRIVATE KEY" ;;
      *) exit 1 ;;
    esac ;;
  kubeadm)
    case "$*" in
      "reset -f") rm -rf /etc/kubernetes/manifests/* /etc/kubernetes/pki/* /etc/kubernetes/admin.conf ;;
      "certs check-expiration")
        cat <<EOT
[check-expiration] Reading configuration from the cluster...
[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'

CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
admin.conf                 Dec 01, 2027 05:00 UTC   $(cat "$S/residual")             ca                      no
apiserver                  Dec 01, 2027 05:00 UTC   364d            ca                      no
etcd-server                Dec 01, 2027 05:00 UTC   300d            etcd-ca                 no

CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
ca                      Nov 29, 2036 05:00 UTC   9y              no
EOT
        ;;
      "certs renew all") echo 364d >"$S/residual" ;;
      *) exit 1 ;;
    esac ;;
  crictl)
    case "$*" in
      "ps -a --state exited -q") echo 0123456789abc ;;
      "ps --name ^etcd$ --state running -q") cat "$S/etcd-id" 2>/dev/null || true ;;
      ps\ --name*) [ ! -f "$S/pods-running" ] || echo 1111 ;;
      "logs --tail 200 0123456789abc") echo "panic: bad config"; key "PRIVATE KEY" ;;
      exec\ *\ etcdctl\ *snapshot\ save\ *) echo snapshot-bytes >"${!#}" ;;
      exec\ *\ etcdutl\ snapshot\ status\ *) echo "| HASH | REVISION | TOTAL KEYS | TOTAL SIZE |" ;;
      *) echo "CONTAINER IMAGE STATE NAME" ;;
    esac ;;
  journalctl) echo "kubelet[1]: started"; echo "kubeadm join 10.0.0.1:6443 --token $token" ;;
  ip)
    case "$*" in
      "-o link show") printf '1: lo: <LOOPBACK>\n5: cali12ab@if3: <UP>\n6: cni0: <UP>\n' ;;
      # k8s-reset must look links up in /sys/class/net (the test mounts its own): asking
      # `ip link show tunl0` would load the ipip module on a real node.
      "link show "*) echo "ip $* must not be used to test whether a link exists" >&2; exit 2 ;;
      "link delete tunl0") exit 1 ;;
      *) echo "1: lo: <LOOPBACK,UP>" ;;
    esac ;;
  ufw) echo "Status: active" ;;
  nft) echo "table inet filter {}" ;;
  sysctl) for k in "$@"; do echo "$k = 1"; done ;;
  systemctl) ;;
esac
