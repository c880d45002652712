  # This distribution ships no ufw; its default iptables policy accepts cluster traffic.
  log "firewall: nothing to do on this distribution"
