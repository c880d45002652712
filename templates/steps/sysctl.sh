  # {{sysctlFile}} applies at every boot; apply it now and check the result.
  sysctl --system >/dev/null
  local key value actual
  while IFS='= ' read -r key value; do
    case "$key" in ''|'#'*) continue ;; esac
    actual=$(sysctl -n "$key")
    if [ "$actual" != "$value" ]; then
      log "sysctl $key is $actual, expected $value"; return 1
    fi
  done <{{sysctlFile}}
  log "sysctls applied"
