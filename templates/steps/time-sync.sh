  # NTP servers from the profile (time.servers): the timesyncd drop-in{{#chrony}} and chrony's
  # sources.d file{{/chrony}} arrived with the files. A clock that is behind makes certificates
  # "not yet valid" at join.
  local servers={{servers}}
{{#chrony}}
  if command -v chronyc >/dev/null 2>&1 && systemctl is-active --quiet chrony; then
    chronyc reload sources >/dev/null || systemctl restart chrony
    log "chrony uses $servers"
  else
{{/chrony}}
{{#install}}
    if ! systemctl cat systemd-timesyncd.service >/dev/null 2>&1; then
      apt_get install -y systemd-timesyncd
    fi
{{/install}}
    if ! systemctl cat systemd-timesyncd.service >/dev/null 2>&1; then
      log "neither chrony nor systemd-timesyncd is installed: the clock is not synchronised"; return 1
    fi
    timedatectl set-ntp true
    systemctl restart systemd-timesyncd
    log "systemd-timesyncd uses $servers"
{{#chrony}}
  fi
{{/chrony}}
  WAIT_INTERVAL=2 wait_until 30 "NTP synchronisation" clock_synchronised || log "the clock is not synchronised yet; continuing"
