  # kubeadm init finished before (e.g. a later step failed and the node rebooted):
  # never init or reset a working control plane again. wait-api checks it is up.
  if [ -f "$ADMIN_KUBECONFIG" ] && [ -f /etc/kubernetes/manifests/kube-apiserver.yaml ]; then
    log "control plane already initialised"; return 0
  fi
  local attempt
  write_kubelet_patch "$KUBEADM_PATCHES"
  for attempt in 1 2 3; do
    log "kubeadm init, attempt $attempt"
    if kubeadm init --skip-token-print --config "$KUBEADM_CONFIG"; then
      return 0
    fi
    log "kubeadm init failed; resetting (the shared CAs are kept)"
    reset_node
    sleep 10
  done
  return 1
