  # {{why}}
  local staged={{staged}} manifest={{manifest}} tmp={{tmp}}
  if cmp -s "$staged" "$manifest"; then
    log "kube-vip manifest already in place"; return 0
  fi
  mkdir -p "$(dirname "$manifest")"
  # Written beside the manifests directory and renamed into it, so kubelet never
  # reads a half-written file (and never sees the temporary file as a pod).
  install -m 0600 "$staged" "$tmp"
  mv -f "$tmp" "$manifest"
  log "{{done}}"
