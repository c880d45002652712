#!/bin/bash
# gen-userdata: approves pending kubelet serving-certificate CSRs, but only from
# nodes named in the cluster profile ({{expectedNodes}}). kubelet runs with
# serverTLSBootstrap, so metrics-server, kubectl logs and exec can verify kubelets.
set -euo pipefail
export KUBECONFIG=/etc/kubernetes/admin.conf
expected={{expectedNodes}}
kubectl get csr -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.spec.signerName}{" "}{.spec.username}{" "}{.status.conditions[*].type}{"\n"}{end}' |
  while read -r name signer user state; do
    [ "$signer" = kubernetes.io/kubelet-serving ] || continue
    [ -z "${state:-}" ] || continue
    case "$user" in system:node:*) ;; *) continue ;; esac
    if grep -qxF -- "${user#system:node:}" "$expected"; then
      kubectl certificate approve "$name"
    fi
  done
