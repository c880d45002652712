  # Pull kubeadm's images for this exact version now, so nodes pull nothing at first boot.
  kubeadm config images pull --kubernetes-version {{kubeVersion}}{{#imageRepository}} --image-repository {{imageRepository}}{{/imageRepository}} --cri-socket unix:///run/containerd/containerd.sock
  # containerd's sandbox image (a runtime.sandboxImage override may differ from kubeadm's pause).
  local image={{sandboxImage}}
  crictl pull "$image"
  log "images for Kubernetes" {{kubeVersion}} "and sandbox $image pulled"
