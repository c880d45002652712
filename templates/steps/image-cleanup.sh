  # Every machine made from the image must boot as a new one: cloud-init runs again with
  # its own user-data, and the machine-id and SSH host keys are generated anew.
  if ! command -v cloud-init >/dev/null 2>&1; then
    log "cloud-init is not installed: nodes made from this image could not read their user-data"; return 1
  fi
  apt-get clean
  cloud-init clean --logs --machine-id
  rm -f /etc/ssh/ssh_host_*
  log "cloud-init state, machine-id and SSH host keys removed"
