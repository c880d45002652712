  systemctl daemon-reload
  # One call for all units: each systemctl enable reloads systemd's configuration.
  systemctl enable --now{{#units}} {{name}}{{/units}}
  log "units enabled:{{#units}} {{name}}{{/units}}"
