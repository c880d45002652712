  if ! command -v containerd >/dev/null 2>&1; then
    log "containerd is missing and this profile does not install packages"; return 1
  fi
  log "$(containerd --version)"
