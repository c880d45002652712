  # The image provides the Kubernetes tools ({{source}}); only check the versions.
  local tool
  for tool in kubeadm kubelet kubectl; do
    command -v "$tool" >/dev/null 2>&1 || { log "$tool is missing"; return 1; }
  done
  expect_version kubeadm {{kubeVersion}} "$(kubeadm version -o short)"
  expect_version kubelet {{kubeVersion}} "$(kubelet --version)"
  expect_version kubectl {{kubeVersion}} "$(kubectl version --client 2>/dev/null)"
