  if [ -f "$ADMIN_KUBECONFIG" ] && kubectl --kubeconfig "$ADMIN_KUBECONFIG" get --raw=/readyz >/dev/null 2>&1; then
    log "control plane already initialised"; return 0
  fi
  local attempt
  for attempt in 1 2 3; do
    log "kubeadm init, attempt $attempt"
    if kubeadm init --config "$KUBEADM_CONFIG"; then
      return 0
    fi
    log "kubeadm init failed; resetting (the shared CAs are kept)"
    reset_node
    sleep 10
  done
  return 1
