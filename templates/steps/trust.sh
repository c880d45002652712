  # The site CAs (profile trust) arrived with the files; trust them before any download.
  if ! command -v update-ca-certificates >/dev/null 2>&1; then
    log "update-ca-certificates is missing: the site CAs cannot be trusted"; return 1
  fi
  update-ca-certificates >/dev/null
  log "site CAs trusted:" {{files}}
