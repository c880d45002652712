  local name={{hostname}}
  if command -v hostnamectl >/dev/null 2>&1 && hostnamectl set-hostname "$name" 2>/dev/null; then
    :
  else
    printf '%s\n' "$name" >/etc/hostname
    hostname "$name"
  fi
{{#hostsFile}}
  # Replace our managed block in /etc/hosts with the node list (network.hostsEntries).
  local hosts_file={{hostsFile}} begin='# BEGIN gen-userdata nodes' end='# END gen-userdata nodes' tmp
  tmp=$(mktemp)
  awk -v b="$begin" -v e="$end" '$0==b{skip=1;next} $0==e{skip=0;next} !skip' /etc/hosts >"$tmp"
  { printf '%s\n' "$begin"; cat "$hosts_file"; printf '%s\n' "$end"; } >>"$tmp"
  cat "$tmp" >/etc/hosts
  rm -f "$tmp"
  log "hostname $(hostname); /etc/hosts lists $(grep -c . "$hosts_file") entries"
{{/hostsFile}}
{{^hostsFile}}
  # network.hostsEntries is "none": /etc/hosts stays as the image has it.
  log "hostname $(hostname)"
{{/hostsFile}}
