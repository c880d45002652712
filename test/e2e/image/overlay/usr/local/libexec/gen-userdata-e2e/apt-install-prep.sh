#!/bin/sh
# gen-userdata e2e: runs before cloud-init when the kernel command line has
# gen_userdata_e2e.apt_install, for boots whose Kubernetes packages must come
# from the test's apt mirror (test/helpers/vm-apt-repo.ts, vm-mirror.ts):
# - removes the image's preinstalled stand-ins (the /usr/bin symlinks and the
#   kubelet unit files), so only apt can bring kubeadm, kubelet and kubectl
#   back; files a package owns stay (a golden image that got them from the
#   mirror keeps them);
# - empties the Debian apt source: the guest can reach nothing but the mirror
#   (restrict=on), and the distribution packages the install step names
#   (gpg, curl, conntrack, ipset, …) are already in the image, as on an
#   air-gapped node whose image carries them.
# What it did goes to /var/log/gen-userdata-e2e/apt-install-prep.log.
set -eu
LOG=/var/log/gen-userdata-e2e/apt-install-prep.log
mkdir -p "$(dirname "$LOG")"
exec >>"$LOG" 2>&1
echo "apt-install-prep at $(date -u +%Y-%m-%dT%H:%M:%SZ)"
for f in /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl /usr/bin/crictl \
  /usr/lib/systemd/system/kubelet.service /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf; do
  if [ ! -e "$f" ] && [ ! -L "$f" ]; then
    echo "absent: $f"
  elif owner=$(dpkg-query -S "$f" 2>/dev/null); then
    echo "kept (package ${owner%%:*}): $f"
  else
    rm -f "$f"
    echo "removed: $f"
  fi
done
: >/etc/apt/sources.list
echo "emptied /etc/apt/sources.list"
