  if ! command -v containerd >/dev/null 2>&1; then
    log "containerd is missing and this profile does not install packages"; return 1
  fi
  # Kubernetes 1.26+ speaks only CRI v1, which needs containerd 1.6 or newer.
  local version major minor
  version=$(containerd --version | awk '{print $3}')
  version=${version#v}
  major=${version%%.*}
  minor=${version#*.}
  minor=${minor%%.*}
  if ! [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 6 ]; }; then
    log "containerd version mismatch: expected 1.6 or newer, got: $(containerd --version)"; return 1
  fi
  log "$(containerd --version)"
