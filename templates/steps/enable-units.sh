  systemctl daemon-reload
  systemctl enable --now{{#units}} {{name}}{{/units}}
  log "units enabled:{{#units}} {{name}}{{/units}}"
