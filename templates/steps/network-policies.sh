  # security.defaultDenyNamespaces: the namespaces, and in each a default-deny
  # policy with DNS to CoreDNS still allowed. apply is idempotent.
  kubectl_admin apply -f {{manifest}}
  log "default-deny NetworkPolicies applied in "{{namespaces}}
