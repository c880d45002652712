  # {{configFile}} is a version-2 config: containerd 1.6/1.7 read it as is and 2.x
  # migrates it. Check the effective settings, whose keys differ between 1.x and 2.x.
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
  if ! grep -Eq "^[[:space:]]*(sandbox_image|sandbox) = [\"']{{sandboxImagePattern}}[\"']" <<<"$dump"; then
    log "containerd sandbox image is not {{sandboxImage}}"; return 1
  fi
  systemctl is-active --quiet containerd
  log "containerd running: SystemdCgroup=true, sandbox {{sandboxImage}}"
