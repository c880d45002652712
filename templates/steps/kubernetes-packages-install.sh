  # pkgs.k8s.io has one repository per minor version; pin the exact version and hold it.
  local keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
  apt_get update
  apt_get install -y apt-transport-https ca-certificates curl gpg conntrack{{extraPackages}}
  install -d -m 0755 /etc/apt/keyrings
{{#keyFile}}
  gpg --dearmor --yes -o "$keyring" <{{keyFile}}
{{/keyFile}}
{{^keyFile}}
  curl -fsSL --retry 5 {{repoUrl}}Release.key | gpg --dearmor --yes -o "$keyring"
{{/keyFile}}
  chmod 0644 "$keyring"
  printf 'deb [signed-by=%s] %s /\n' "$keyring" {{repoUrl}} >/etc/apt/sources.list.d/kubernetes.list
  apt_get update
  apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true
  apt_get install -y --allow-downgrades kubelet={{packageVersion}} kubeadm={{packageVersion}} kubectl={{packageVersion}}
  apt-mark hold kubelet kubeadm kubectl
  expect_version kubeadm {{kubeVersion}} "$(kubeadm version -o short)"
  expect_version kubelet {{kubeVersion}} "$(kubelet --version)"
  expect_version kubectl {{kubeVersion}} "$(kubectl version --client 2>/dev/null)"
