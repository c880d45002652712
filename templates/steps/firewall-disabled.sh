  # firewall.mode is "disabled": make sure a host firewall does not block cluster traffic.
  # Only an enabled or running ufw needs it (each ufw call is slow).
  if command -v ufw >/dev/null 2>&1 &&
    { grep -qs '^ENABLED=yes' /etc/ufw/ufw.conf || iptables -n -L ufw-user-input >/dev/null 2>&1; }; then
    ufw --force disable
  fi
  log "host firewall left disabled"
