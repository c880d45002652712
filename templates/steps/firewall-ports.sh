  if ! command -v ufw >/dev/null 2>&1; then
{{#install}}
    apt-get update -q
    apt-get install -y -q ufw
{{/install}}
{{^install}}
    log "ufw is not installed and packages.install is false"; return 1
{{/install}}
  fi
  # SSH stays reachable; then exactly the ports this role and CNI need.
  ufw allow 22/tcp comment 'ssh'
{{#ports}}
  ufw allow {{rule}} comment {{why}}
{{/ports}}
  # Pods talk to each other through this host (forwarded traffic), and to the host itself.
  ufw default allow routed
  ufw allow from {{podSubnet}} comment 'pod network'
{{#ipip}}
  # Calico's default pool encapsulates with IP-in-IP (IP protocol 4), which ufw's
  # CLI cannot express; add it to before.rules once.
  if ! grep -q 'gen-userdata ipip' /etc/ufw/before.rules; then
    sed -i "/^# don't delete the 'COMMIT' line/i -A ufw-before-input -p 4 -s {{nodeCidr}} -j ACCEPT -m comment --comment 'gen-userdata ipip'" /etc/ufw/before.rules
  fi
{{/ipip}}
  ufw --force enable
  ufw reload
  log "ufw enabled with the ports for this role"
