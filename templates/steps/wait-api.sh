  # The API server must answer before manifests can be applied.
  for _ in $(seq 1 120); do
    if kubectl_admin get --raw=/readyz >/dev/null 2>&1; then
      log "API server ready"; return 0
    fi
    sleep 5
  done
  log "API server not ready after 10 minutes"; return 1
