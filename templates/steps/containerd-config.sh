  # {{configFile}} (version 2) is migrated by containerd 2.x: check the effective settings.
{{#daemonReload}}
  # Drop-ins written after systemd loaded containerd's unit (the proxy) count only after a reload.
  systemctl daemon-reload
{{/daemonReload}}
  systemctl enable containerd
  systemctl restart containerd
  local dump
  for _ in $(seq 1 30); do
    [ -S /run/containerd/containerd.sock ] && break
    sleep 1
  done
  dump=$(containerd config dump)
  if ! grep -Eq '^[[:space:]]*SystemdCgroup = true' <<<"$dump"; then
    log "containerd does not use the systemd cgroup driver"; return 1
  fi
  local image={{sandboxImage}} configured
  configured=$(sed -nE "s/^[[:space:]]*(sandbox_image|sandbox) = [\"']([^\"']*)[\"'].*/\2/p" <<<"$dump")
  if ! grep -qxF -- "$image" <<<"$configured"; then
    log "containerd sandbox image is ${configured:-not set}, not $image"; return 1
  fi
  systemctl is-active --quiet containerd
  log "containerd running: SystemdCgroup=true, sandbox $image"
