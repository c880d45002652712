  # firewall.mode is "disabled": make sure a host firewall does not block cluster traffic.
  if command -v ufw >/dev/null 2>&1; then
    ufw --force disable
  fi
  log "host firewall left disabled"
