  local manifest=$STATE_DIR/cni-{{plugin}}.yaml pod_subnet={{podSubnet}}
{{#embedded}}
  cp {{embedded}} "$manifest"
{{/embedded}}
{{^embedded}}
  curl -fsSL --retry 5 -o "$manifest" {{url}}
{{/embedded}}
  # The edits below are fixed awk programs: profile values reach them only through
  # the environment (ENVIRON), never as program text.
{{#calico}}
  # Calico's pool defaults to 192.168.0.0/16; wire in the cluster's podSubnet.
  # calico-node's default "first-found" picks the first interface, e.g. a NAT NIC
  # (10.0.2.15 on VirtualBox); use the address on the node network instead.
  local detect=cidr={{nodeCidr}} add_detect=1
  if grep -q 'name: IP_AUTODETECTION_METHOD' "$manifest"; then add_detect=0; fi
  POD_SUBNET=$pod_subnet DETECT=$detect ADD_DETECT=$add_detect awk '
    { sub(/# - name: CALICO_IPV4POOL_CIDR/, "- name: CALICO_IPV4POOL_CIDR") }
    (i = index($0, "#   value: \"192.168.0.0/16\"")) > 0 {
      $0 = substr($0, 1, i - 1) "  value: \"" ENVIRON["POD_SUBNET"] "\"" substr($0, i + 27)
    }
    { print }
    after_ip && /^[[:space:]]*value: "autodetect"$/ && ENVIRON["ADD_DETECT"] == 1 {
      print indent "- name: IP_AUTODETECTION_METHOD"
      print indent "  value: \"" ENVIRON["DETECT"] "\""
    }
    { after_ip = 0 }
    /^[[:space:]]*- name: IP$/ { after_ip = 1; match($0, /^[[:space:]]*/); indent = substr($0, 1, RLENGTH) }
  ' "$manifest" >"$manifest.new"
  mv -f "$manifest.new" "$manifest"
  if ! grep -A1 -E '^[[:space:]]*- name: CALICO_IPV4POOL_CIDR' "$manifest" | grep -qF "value: \"$pod_subnet\""; then
    log "could not set CALICO_IPV4POOL_CIDR in the Calico manifest"; return 1
  fi
  if ! grep -A1 -E '^[[:space:]]*- name: IP_AUTODETECTION_METHOD' "$manifest" | grep -qF "value: \"$detect\""; then
    log "could not set IP_AUTODETECTION_METHOD in the Calico manifest"; return 1
  fi
{{/calico}}
{{#flannel}}
  # Flannel's net-conf.json defaults to 10.244.0.0/16; wire in the cluster's podSubnet.
  # flanneld otherwise uses the default-route interface, e.g. a NAT NIC.
  local iface={{iface}} add_iface=1
  if grep -qF -- "- --iface=$iface" "$manifest"; then add_iface=0; fi
  POD_SUBNET=$pod_subnet IFACE=$iface ADD_IFACE=$add_iface awk '
    (i = index($0, "\"Network\": \"10.244.0.0/16\"")) > 0 {
      $0 = substr($0, 1, i - 1) "\"Network\": \"" ENVIRON["POD_SUBNET"] "\"" substr($0, i + 26)
    }
    { print }
    /^[[:space:]]*- --kube-subnet-mgr$/ && ENVIRON["ADD_IFACE"] == 1 {
      match($0, /^[[:space:]]*/)
      print substr($0, 1, RLENGTH) "- --iface=" ENVIRON["IFACE"]
    }
  ' "$manifest" >"$manifest.new"
  mv -f "$manifest.new" "$manifest"
  if ! grep -qF "\"Network\": \"$pod_subnet\"" "$manifest"; then
    log "could not set Network in Flannel's net-conf.json"; return 1
  fi
  if ! grep -qF -- "- --iface=$iface" "$manifest"; then
    log "could not set --iface in the Flannel manifest"; return 1
  fi
{{/flannel}}
  kubectl_admin apply -f "$manifest"
  log "{{plugin}} applied with pod CIDR $pod_subnet"
