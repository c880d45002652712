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
  # {{why}}: IP protocol {{protocol}} ({{name}}) has no ufw CLI form; one before.rules
  # rule (iptables-restore syntax); awk takes the CIDR from the environment.
  local f=/etc/ufw/before.rules
  NODE_CIDR={{nodeCidr}} awk '/gen-userdata[- ]{{name}}/{next} /^# don.t delete the .COMMIT. line/{
    print "-A ufw-before-input -p {{protocol}} -s " ENVIRON["NODE_CIDR"] " -j ACCEPT -m comment --comment gen-userdata-{{name}}"} 1' "$f" >"$f.new"
  cat "$f.new" >"$f"; rm -f "$f.new"
{{/protocols}}
  # Enabling loads every rule, before.rules included; a running ufw (a re-run) reloads.
  if iptables -n -L ufw-user-input >/dev/null 2>&1; then
    ufw reload
  else
    ufw --force enable
  fi
  log "ufw enabled with the ports for this role"
