  # The same list is in {{modulesFile}}, which systemd-modules-load reads at every boot.
  local m
  for m in {{modules}}; do
    modprobe "$m"
  done
  log "loaded: {{modulesPlain}}"
