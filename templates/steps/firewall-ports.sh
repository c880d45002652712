  if ! command -v ufw >/dev/null 2>&1; then
{{#install}}
    apt_get update
    apt_get install -y ufw
{{/install}}
{{^install}}
    log "ufw is not installed and packages.install is false"; return 1
{{/install}}
  fi
  # SSH stays reachable; then exactly the ports this role and CNI need.
{{#rules}}
  ufw allow {{args}} comment {{comment}}
{{/rules}}
  # Pods talk to each other through this host (forwarded traffic), and to the host itself.
  ufw default allow routed
  ufw allow from {{podSubnet}} comment 'pod network'
{{#protocols}}
  # {{why}}: IP protocol {{protocol}} ({{name}}) has no ufw CLI form; keep one rule for
  # it in before.rules (iptables-restore syntax: no single quotes there).
  sed -i '/gen-userdata[- ]{{name}}/d' /etc/ufw/before.rules
  sed -i "/^# don't delete the 'COMMIT' line/i -A ufw-before-input -p {{protocol}} -s {{nodeCidr}} -j ACCEPT -m comment --comment gen-userdata-{{name}}" /etc/ufw/before.rules
{{/protocols}}
  # Enabling loads every rule, before.rules included; a running ufw (a re-run) reloads.
  if iptables -n -L ufw-user-input >/dev/null 2>&1; then
    ufw reload
  else
    ufw --force enable
  fi
  log "ufw enabled with the ports for this role"
