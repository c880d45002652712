  local manifest=$STATE_DIR/cni-{{plugin}}.yaml
{{#embedded}}
  cp {{embedded}} "$manifest"
{{/embedded}}
{{^embedded}}
  curl -fsSL --retry 5 -o "$manifest" {{url}}
{{/embedded}}
{{#calico}}
  # Calico's pool defaults to 192.168.0.0/16; wire in the cluster's podSubnet.
  sed -i -e 's|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|' \
    -e 's|#   value: "192.168.0.0/16"|  value: "'{{podSubnet}}'"|' "$manifest"
  if ! grep -A1 -E '^[[:space:]]*- name: CALICO_IPV4POOL_CIDR' "$manifest" | grep -qF 'value: "'{{podSubnet}}'"'; then
    log "could not set CALICO_IPV4POOL_CIDR in the Calico manifest"; return 1
  fi
  # calico-node's default "first-found" picks the first interface, e.g. a NAT NIC
  # (10.0.2.15 on VirtualBox); use the address on the node network instead.
  local detect="cidr="{{nodeCidr}}
  if ! grep -q 'name: IP_AUTODETECTION_METHOD' "$manifest"; then
    sed -i -E "/^[[:space:]]*- name: IP\$/{N;s|^([[:space:]]*)(- name: IP\\n[[:space:]]*value: \"autodetect\")\$|\\1\\2\\n\\1- name: IP_AUTODETECTION_METHOD\\n\\1  value: \"$detect\"|}" "$manifest"
  fi
  if ! grep -A1 -E '^[[:space:]]*- name: IP_AUTODETECTION_METHOD' "$manifest" | grep -qF "value: \"$detect\""; then
    log "could not set IP_AUTODETECTION_METHOD in the Calico manifest"; return 1
  fi
{{/calico}}
{{#flannel}}
  # Flannel's net-conf.json defaults to 10.244.0.0/16; wire in the cluster's podSubnet.
  sed -i -e 's|"Network": "10.244.0.0/16"|"Network": "'{{podSubnet}}'"|' "$manifest"
  if ! grep -qF '"Network": "'{{podSubnet}}'"' "$manifest"; then
    log "could not set Network in Flannel's net-conf.json"; return 1
  fi
  # flanneld otherwise uses the default-route interface, e.g. a NAT NIC.
  local iface={{iface}}
  if ! grep -qF -- "- --iface=$iface" "$manifest"; then
    sed -i -E "s|^([[:space:]]*)- --kube-subnet-mgr\$|&\\n\\1- --iface=$iface|" "$manifest"
  fi
  if ! grep -qF -- "- --iface=$iface" "$manifest"; then
    log "could not set --iface in the Flannel manifest"; return 1
  fi
{{/flannel}}
  kubectl_admin apply -f "$manifest"
  log "{{plugin}} applied with pod CIDR {{podSubnet}}"
