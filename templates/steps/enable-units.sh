  systemctl daemon-reload
{{#units}}
  systemctl enable --now {{name}}
{{/units}}
  log "units enabled:{{#units}} {{name}}{{/units}}"
