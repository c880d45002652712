  if ! command -v containerd >/dev/null 2>&1; then
    apt_get update
    # Keep the config.toml that arrived with the user-data.
    apt_get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold containerd
  fi
  log "$(containerd --version)"
