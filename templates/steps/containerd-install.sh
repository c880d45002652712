  if ! command -v containerd >/dev/null 2>&1; then
    apt-get update -q
    # Keep the config.toml that arrived with the user-data.
    apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold containerd
  fi
  log "$(containerd --version)"
