  # nodes[].arch {{declared}}: everything this node downloads was chosen for it.
  local arch
  arch=$(detect_arch) || return 1
{{#expected}}
  if [ "$arch" != {{expected}} ]; then
    log "this machine is $arch (uname -m: $(uname -m)), but the profile gives this node arch {{expected}}"
    return 1
  fi
{{/expected}}
  log "architecture: $arch"
