  # kubelet restarts in a loop until kubeadm writes its configuration; that is expected.
  systemctl enable kubelet
  log "kubelet enabled"
