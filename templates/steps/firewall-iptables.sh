  # Flatcar has no ufw: iptables-restore.service loaded {{rulesFile}} at boot.
  # Load it again when it did not run (or something flushed INPUT since).
  if ! iptables -S INPUT | grep -qx -- '-P INPUT DROP'; then
    log "INPUT policy is not DROP: restarting iptables-restore.service"
    systemctl restart iptables-restore.service
    iptables -S INPUT | grep -qx -- '-P INPUT DROP' || { log "iptables-restore did not load {{rulesFile}}"; return 1; }
  fi
  log "iptables: $(grep -c -- '-j ACCEPT' {{rulesFile}}) accept rules from {{rulesFile}}, inbound policy DROP"
