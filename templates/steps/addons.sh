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
