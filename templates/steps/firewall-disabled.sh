  # firewall.mode is "disabled": make sure a host firewall does not block cluster traffic.
  # Only a ufw that is enabled (ufw.conf) or running (its chain) needs disabling;
  # skipping the call otherwise saves a slow Python start on every boot.
  if command -v ufw >/dev/null 2>&1 &&
    { grep -qs '^ENABLED=yes' /etc/ufw/ufw.conf || iptables -n -L ufw-user-input >/dev/null 2>&1; }; then
    ufw --force disable
  fi
  log "host firewall left disabled"
