  # kubelet refuses to run with swap on (failSwapOn); turn it off now and for good.
  swapoff -a
  if grep -Eq '^[[:space:]]*[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab; then
    sed -ri.gen-userdata.bak 's|^([[:space:]]*[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]].*)$|# disabled by gen-userdata (kubelet needs swap off): \1|' /etc/fstab
  fi
  # Swap units that systemd would start from other sources (GPT auto-discovery, zram).
  systemctl mask swap.target >/dev/null 2>&1 || true
  if [ -n "$(swapon --show --noheadings 2>/dev/null)" ]; then
    log "swap is still active"; return 1
  fi
  log "swap is off"
