  if [ -f /etc/kubernetes/kubelet.conf ]; then
    log "node already joined"; return 0
  fi
  write_kubelet_patch "$KUBEADM_PATCHES"
  # Boot order does not matter: wait for the endpoint and retry until the deadline.
  local host={{endpointHost}} port={{endpointPort}} limit={{joinTimeoutSeconds}}
  # Seconds since boot, not wall-clock time: an NTP step at first boot must not
  # stretch or cut the window.
  local deadline=$(( $(uptime_seconds) + limit )) attempt=0 delay now remaining
  while :; do
    now=$(uptime_seconds)
    remaining=$(( deadline - now ))
    if [ "$remaining" -le 0 ]; then
      log "giving up: not joined within ${limit}s"; return 1
    fi
    if ! endpoint_reachable "$host" "$port"; then
      log "waiting for the API endpoint $host:$port"
      sleep $(( remaining < 10 ? remaining : 10 ))
      continue
    fi
    attempt=$(( attempt + 1 ))
    log "kubeadm join, attempt $attempt"
    if timeout "$remaining" kubeadm join --config "$KUBEADM_CONFIG" 2>&1 | tee "$STATE_DIR/join.out"; then
      log "joined after $attempt attempt(s)"; return 0
    fi
    # "certificate is not yet valid" at join almost always means this clock is behind.
    if grep -qE 'x509: certificate (has expired or )?is not yet valid' "$STATE_DIR/join.out"; then log_clock_offset "$host" "$port"; fi
    log "kubeadm join attempt $attempt failed; resetting before the next attempt"
    reset_node
    delay=$(( attempt * 10 < 60 ? attempt * 10 : 60 ))
    now=$(uptime_seconds)
    remaining=$(( deadline - now ))
    [ "$remaining" -gt 0 ] && sleep $(( remaining < delay ? remaining : delay ))
  done
