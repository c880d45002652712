  # Runs in the background: workers may still be joining, and bootstrap.done means
  # this node's bootstrap finished, not that the cluster works. The verdict lands in
  # {{verified}} or {{failed}}, and in ConfigMap kube-system/{{configMap}}.
  systemctl start --no-block {{unit}}
  log "cluster verification started ({{unit}})"
