#!/bin/bash
# gen-userdata: approves pending kubelet serving-certificate CSRs, but only from
# nodes of the cluster profile ({{expectedNodes}}: "name role ip" lines), and only
# for that node's own name and profile IP, so no node can obtain a certificate for
# another (the checks kubelet-csr-approver makes). kubelet runs with
# serverTLSBootstrap, so metrics-server, kubectl logs and exec can verify kubelets.
set -euo pipefail
# log, kubectl_admin (the shared shell library).
. {{library}}
expected={{expectedNodes}}

# Succeeds when the PEM CSR on stdin asks for CN system:node:<node> and no names
# or addresses other than <node> and <ip>.
request_is_for() {
  local node=$1 ip=$2 text san
  text=$(openssl req -noout -text) || return 1
  grep -Eq "Subject:.*CN ?= ?system:node:${node}\$" <<<"$text" || return 1
  while read -r san; do
    case "$san" in
      "DNS:$node" | "IP Address:$ip") ;;
      *) return 1 ;;
    esac
  done < <(grep -A1 'X509v3 Subject Alternative Name' <<<"$text" | tail -n 1 | tr ',' '\n' | sed 's/^[[:space:]]*//')
}

kubectl_admin get csr -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.signerName}{" "}{.spec.username}{" "}{.status.conditions[*].type}{"\n"}{end}' |
  while read -r name signer user state; do
    [ "$signer" = kubernetes.io/kubelet-serving ] || continue
    [ -z "${state:-}" ] || continue
    case "$user" in system:node:*) ;; *) continue ;; esac
    node=${user#system:node:}
    ip=$(awk -v n="$node" '$1 == n { print $3 }' "$expected")
    [ -n "$ip" ] || continue
    if kubectl_admin get csr "$name" -o jsonpath='{.spec.request}' | base64 -d | request_is_for "$node" "$ip"; then
      kubectl_admin certificate approve "$name"
    else
      log "not approving $name: it asks for names or addresses other than $node and $ip"
    fi
  done
