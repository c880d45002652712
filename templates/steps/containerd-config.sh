{{#daemonReload}}
  # Drop-ins written after systemd loaded containerd's unit (the proxy) count only after a reload.
  systemctl daemon-reload
{{/daemonReload}}
{{#flatcarBase}}
  # Flatcar's own config ({{flatcarBase}}) is the base, so its settings (SELinux
  # labels, OOM score, subreaper) survive; awk sets our keys in its tables and adds
  # the tables it lacks. Its config version picks the table names (2: containerd
  # 1.x; 3: containerd 2.x).
  local base={{flatcarBase}} out={{config}} version settings
  [ -f "$base" ] || { log "$base is missing: is this Flatcar?"; return 1; }
  version=$(sed -nE 's/^version[[:space:]]*=[[:space:]]*([0-9]+).*/\1/p' "$base")
  case ${version:-1} in
    2) settings='plugins."io.containerd.grpc.v1.cri"	sandbox_image
plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc	runtime_type
plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options	SystemdCgroup
plugins."io.containerd.grpc.v1.cri".registry	config_path' ;;
    3) settings='plugins."io.containerd.cri.v1.images".pinned_images	sandbox
plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc	runtime_type
plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options	SystemdCgroup
plugins."io.containerd.cri.v1.images".registry	config_path' ;;
    *) log "$base has config version ${version:-1}; only versions 2 and 3 are supported"; return 1 ;;
  esac
  mkdir -p "$(dirname "$out")"
  # awk compares table headers without spaces, comments and (double or single) quotes.
  SETTINGS=$settings VALUES=$(printf '"%s"\n"%s"\ntrue\n"%s"' {{sandboxImage}} io.containerd.runc.v2 {{registryHosts}}) awk '
    function norm(h) { sub(/#.*/, "", h); gsub(/[][ \t"]/, "", h); gsub(sprintf("%c", 39), "", h); return h }
    function add(t,   i) { for (i = 1; i <= n; i++) if (T[i] == t && !done[i]) { print K[i] " = " V[i]; done[i] = 1 } }
    BEGIN {
      n = split(ENVIRON["SETTINGS"], rows, "\n"); split(ENVIRON["VALUES"], vals, "\n")
      for (i = 1; i <= n; i++) { split(rows[i], f, "\t"); H[i] = f[1]; T[i] = norm(f[1]); K[i] = f[2]; V[i] = vals[i] }
    }
    /^[ \t]*\[/ { add(cur); cur = norm($0); print; next }
    {
      for (i = 1; i <= n; i++) if (T[i] == cur && $0 ~ ("^[ \t]*" K[i] "[ \t]*=")) { print K[i] " = " V[i]; done[i] = 1; next }
      print
    }
    END { add(cur); for (i = 1; i <= n; i++) if (!done[i]) { print ""; print "[" H[i] "]"; add(T[i]) } }
  ' "$base" >"$out.new"
{{#registryAuth}}
  # images.auth: a control plane's credential tables ({{registryAuth}}; workers have
  # none), renamed for version 3. The merged config then holds a password: 0600.
  if [ -f {{registryAuth}} ]; then
    chmod 600 "$out.new"
    if [ "$version" = 3 ]; then
      sed 's/"io\.containerd\.grpc\.v1\.cri"\.registry\.configs/"io.containerd.cri.v1.images".registry.configs/' {{registryAuth}}
    else
      cat {{registryAuth}}
    fi >>"$out.new"
  fi
{{/registryAuth}}
  mv -f "$out.new" "$out"
  log "$out: $base (version $version) with SystemdCgroup, the sandbox image and config_path"
{{/flatcarBase}}
  # {{configFile}} may be version 2, which containerd 2.x migrates: check the effective settings.
  systemctl enable containerd
  systemctl restart containerd
  local dump
  for _ in $(seq 1 30); do
    [ -S /run/containerd/containerd.sock ] && break
    sleep 1
  done
  dump=$(containerd config dump)
  if ! grep -Eq '^[[:space:]]*SystemdCgroup = true' <<<"$dump"; then
    log "containerd does not use the systemd cgroup driver"; return 1
  fi
  local image={{sandboxImage}} configured
  configured=$(sed -nE "s/^[[:space:]]*(sandbox_image|sandbox) = [\"']([^\"']*)[\"'].*/\2/p" <<<"$dump")
  if ! grep -qxF -- "$image" <<<"$configured"; then
    log "containerd sandbox image is ${configured:-not set}, not $image"; return 1
  fi
  systemctl is-active --quiet containerd
  log "containerd running: SystemdCgroup=true, sandbox $image"
