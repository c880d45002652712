#!/bin/bash
# gen-userdata e2e operator actions: what an operator does on a node once it is up,
# run by the probe after it has dumped the boot's own state, when the kernel command
# line asks (gen_userdata_e2e.ops=ACTION,...; in that order):
#   upgrade  the node's generated upgrade script (upgrade.sh on the disk labelled
#            E2EOPS, from `gen-userdata upgrade --to ...`) twice, as an operator
#            would run it and then re-run it; then `kubeadm upgrade apply` of a
#            version the installed kubeadm does not match, which must be refused
#   diag     k8s-diag --output ops/diag.tar.gz
#   reset    k8s-reset --yes, then the bootstrap again (the command k8s-reset names)
# Everything lands in /var/lib/gen-userdata-e2e/ops/: per action NAME.out (stdout and
# stderr) and NAME.rc, plus the apt and node state after each upgrade run. The
# stand-ins tag every call an action causes with its name (GEN_USERDATA_E2E_PHASE),
# so the test can tell the first upgrade run's calls from the second's.
set -u
OPS=/var/lib/gen-userdata-e2e/ops
mkdir -p "$OPS"

param() { tr ' ' '\n' </proc/cmdline | sed -n "s/^gen_userdata_e2e\.$1=//p" | tail -n1; }

# act NAME COMMAND...: runs the command (bounded) with the stand-ins' phase tag.
act() {
  local name=$1
  shift
  GEN_USERDATA_E2E_PHASE=$name timeout 900 "$@" </dev/null >"$OPS/$name.out" 2>&1
  echo "$?" >"$OPS/$name.rc"
}

size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# What apt and dpkg did and hold, and where apt looks, after a run.
apt_state() {
  # shellcheck disable=SC2016 # dpkg-query's own format, not shell
  dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' kubeadm kubelet kubectl cri-tools >"$OPS/$1.dpkg" 2>&1
  apt-mark showhold >"$OPS/$1.holds" 2>&1
  cat /etc/apt/sources.list.d/kubernetes.list >"$OPS/$1.sources" 2>&1
  printf '%s %s\n' "$(size /var/log/apt/history.log)" "$(size /var/log/dpkg.log)" >"$OPS/$1.log-sizes"
}

op_upgrade() {
  local mnt=/run/gen-userdata-e2e-ops v major minor patch
  mkdir -p "$mnt"
  if ! mount -o ro "$(blkid -L E2EOPS || echo /dev/disk/by-label/E2EOPS)" "$mnt" 2>"$OPS/upgrade.error"; then
    return
  fi
  install -m 0755 "$mnt/upgrade.sh" "$OPS/upgrade.sh"
  umount "$mnt"
  apt_state upgrade-0
  act upgrade-1 bash "$OPS/upgrade.sh"
  apt_state upgrade-1
  act upgrade-2 bash "$OPS/upgrade.sh"
  apt_state upgrade-2
  # One patch above what kubeadm is now: real kubeadm refuses a version it is older than.
  v=$(kubeadm version -o short)
  IFS=. read -r major minor patch <<<"${v#v}"
  act upgrade-wrong-version kubeadm upgrade apply "v$major.$minor.$((patch + 1))" -y
}

op_diag() {
  act diag k8s-diag --output "$OPS/diag.tar.gz"
  stat -c %a "$OPS/diag.tar.gz" >"$OPS/diag.mode" 2>&1
}

op_reset() {
  local bootstrap
  ls -1 /var/lib/gen-userdata >"$OPS/reset-before.state" 2>&1
  act reset k8s-reset --yes
  ls -1 /var/lib/gen-userdata >"$OPS/reset-after.state" 2>&1
  # The bootstrap command k8s-reset tells the operator to run.
  bootstrap=$(sed -n 's/.*join again with \([^ ]*\).*/\1/p' "$OPS/reset.out" | tail -n1)
  if [ -z "$bootstrap" ]; then
    echo "k8s-reset named no bootstrap command" >"$OPS/rebootstrap.out"
    echo 127 >"$OPS/rebootstrap.rc"
    return
  fi
  act rebootstrap "$bootstrap"
  ls -1 /var/lib/gen-userdata >"$OPS/rebootstrap-after.state" 2>&1
}

IFS=, read -r -a actions <<<"$(param ops)"
for action in "${actions[@]}"; do
  case "$action" in
    upgrade) op_upgrade ;;
    diag) op_diag ;;
    reset) op_reset ;;
    *) echo "unknown action $action" >>"$OPS/errors" ;;
  esac
done
