  local manifest
{{#addons}}
  manifest=$STATE_DIR/addon-{{name}}.yaml
{{#embedded}}
  cp {{embedded}} "$manifest"
{{/embedded}}
{{^embedded}}
  curl -fsSL --retry 5 -o "$manifest" {{url}}
{{/embedded}}
  kubectl_admin apply -f "$manifest"
  log "add-on {{name}} applied"
{{/addons}}
{{#ingressHostPort}}
  # addons.ingressNginx.expose hostPort: the bare-metal manifest only has a NodePort
  # Service, so port 80 of a node answers nothing. One controller per worker binds
  # 80/443 on its node instead (two pods cannot hold one hostPort, so they spread);
  # a rolling update frees a node's ports before starting the replacement there.
  kubectl_admin -n ingress-nginx patch deployment ingress-nginx-controller --type=strategic -p {{ingressPatch}}
  log "ingress-nginx controller: hostPort 80/443, one replica per worker"
{{/ingressHostPort}}
