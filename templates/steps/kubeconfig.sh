  install -d -m 0700 /root/.kube
  install -m 0600 "$ADMIN_KUBECONFIG" /root/.kube/config
  local user home group
  local -a users=({{users}})
  for user in "${users[@]}"; do
    home=$(getent passwd "$user" | cut -d: -f6)
    group=$(id -gn "$user")
    install -d -m 0700 -o "$user" -g "$group" "$home/.kube"
    install -m 0600 -o "$user" -g "$group" "$ADMIN_KUBECONFIG" "$home/.kube/config"
  done
  log "kubeconfig installed for root${users[*]:+ and ${users[*]}}"
