#!/bin/bash
# gen-userdata e2e probe: runs once cloud-final is done, waits for the
# bootstrap's success or failure marker, dumps everything the test asserts to
# the second serial port (/dev/ttyS1), then powers the guest off.
#
# Output format (line based, every payload base64 so the tty can't mangle it):
#   @@PROBE BEGIN 1
#   @@SECTION <name> <exit code>
#   <base64 of the command's stdout+stderr>
#   @@END <name>
#   ...
#   @@PROBE END
set -u
OUT=/dev/ttyS1
DONE=/var/lib/gen-userdata/bootstrap.done
FAILED=/var/lib/gen-userdata/bootstrap.failed

param() { tr ' ' '\n' </proc/cmdline | sed -n "s/^gen_userdata_e2e\.$1=//p" | tail -n1; }

# runcmd may have started the bootstrap in the background: wait while it runs
# (bounded), and a little longer if it has not shown up at all.
limit=$(param probe_wait); limit=${limit:-1800}
start=$SECONDS
while [ ! -e "$DONE" ] && [ ! -e "$FAILED" ] && [ $((SECONDS - start)) -lt "$limit" ]; do
  if ! pgrep -f gen-userdata-bootstrap >/dev/null && [ $((SECONDS - start)) -ge 20 ]; then
    break
  fi
  sleep 2
done

# The init node's cluster verifier runs in the background after its bootstrap. When
# the test asks (gen_userdata_e2e.verify_wait=SECONDS), wait that long at most for its
# verdict and keep a copy of it; other boots do not wait (their verifier would wait
# out the join timeout for nodes that never come). When the test also asks
# (gen_userdata_e2e.verify_rerun_ready=NODE,...), re-run the unit as an operator
# would, with the stand-in now reporting only those nodes Ready and short waits.
VERIFY_UNIT=gen-userdata-verify.service
FIRST=/var/lib/gen-userdata-e2e/first-verify
verify_state() { systemctl show -p ActiveState --value "$VERIFY_UNIT" 2>/dev/null; }
vlimit=$(param verify_wait)
if [ -n "$vlimit" ] && [ -e "$DONE" ] && [ -e "/etc/systemd/system/$VERIFY_UNIT" ]; then
  vstart=$SECONDS
  while { [ "$(verify_state)" = activating ] || { [ ! -e /var/lib/gen-userdata/cluster-verified ] && [ ! -e /var/lib/gen-userdata/cluster-verify.failed ]; }; } &&
    [ $((SECONDS - vstart)) -lt "$vlimit" ]; do
    sleep 2
  done
  mkdir -p "$FIRST"
  cp -a /var/lib/gen-userdata/cluster-verified /var/lib/gen-userdata/cluster-verify.failed /var/lib/gen-userdata/cluster-status.json "$FIRST/" 2>/dev/null
  rerun=$(param verify_rerun_ready)
  if [ -n "$rerun" ]; then
    tr ',' '\n' <<<"$rerun" >/etc/gen-userdata-e2e/ready-nodes
    systemctl set-environment GEN_USERDATA_VERIFY_JOIN_TIMEOUT=20 GEN_USERDATA_VERIFY_ROLLOUT_TIMEOUT=20
    timeout 300 systemctl start "$VERIFY_UNIT"
    echo "$?" >"$FIRST/rerun-exit"
  fi
fi

stty -F "$OUT" raw -echo 115200 2>/dev/null || true
exec 3>"$OUT"

emit() { # name rc file
  printf '@@SECTION %s %d\n' "$1" "$2" >&3
  base64 -w 76 "$3" >&3
  printf '@@END %s\n' "$1" >&3
}

section() { # name command...: stdout and stderr together
  local name=$1 rc tmp
  shift
  tmp=$(mktemp)
  timeout 120 "$@" >"$tmp" 2>&1
  rc=$?
  emit "$name" "$rc" "$tmp"
  rm -f "$tmp"
}

binary_section() { # name command...: stdout only; stderr goes to section <name>-stderr
  local name=$1 rc tmp err
  shift
  tmp=$(mktemp)
  err=$(mktemp)
  timeout 120 "$@" >"$tmp" 2>"$err"
  rc=$?
  emit "$name" "$rc" "$tmp"
  emit "$name-stderr" 0 "$err"
  rm -f "$tmp" "$err"
}

printf '\n@@PROBE BEGIN 1\n' >&3
section epoch date +%s.%N
section waited echo "$((SECONDS - start))"
section cmdline cat /proc/cmdline
section hostname hostname
section hostname-file cat /etc/hostname
section hosts cat /etc/hosts
section swaps cat /proc/swaps
section modules cat /proc/modules
section sys-module ls /sys/module
section sysctl sysctl net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv4.ip_forward
section containerd-dump containerd config dump
section containerd-active systemctl is-active containerd
section kubelet-enabled systemctl is-enabled kubelet
section kubelet-active systemctl is-active kubelet
section ufw ufw status verbose
section ip-addr ip -br addr
section failed-units systemctl --failed --no-legend --plain
section cloud-init-status cloud-init status --long
section cloud-init-schema cloud-init schema --system
# Kubernetes packages: what dpkg has, what is held, who owns the binaries (install path, golden image).
# shellcheck disable=SC2016 # dpkg-query's own format, not shell
section dpkg-k8s dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' kubeadm kubelet kubectl cri-tools
section apt-holds apt-mark showhold
section dpkg-owners dpkg-query -S /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl
section stat find /etc/kubernetes /etc/containerd /etc/crictl.yaml /etc/modules-load.d /etc/sysctl.d \
  /etc/apt/keyrings /etc/apt/sources.list.d /etc/gen-userdata \
  /var/lib/gen-userdata /var/log/gen-userdata /root/.kube /home /usr/local/sbin \
  -xdev -printf '%m %u:%g %s %T@ %y %p\n'
section journal-warnings journalctl -b -p warning --no-pager -o short-monotonic -n 300
binary_section files tar -czf - --ignore-failed-read --warning=no-file-changed \
  /etc/hosts /etc/hostname /etc/containerd /etc/crictl.yaml /etc/kubernetes /etc/modules-load.d /etc/sysctl.d \
  /etc/ufw/user.rules /etc/ufw/user6.rules /etc/fstab \
  /var/lib/gen-userdata /var/log/gen-userdata /var/lib/gen-userdata-e2e /var/log/gen-userdata-e2e \
  /root/.kube /home /usr/local/sbin /var/lib/kubelet/config.yaml \
  /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/keyrings /etc/gen-userdata /var/log/apt /var/log/dpkg.log \
  /var/log/cloud-init.log /var/log/cloud-init-output.log /var/lib/cloud/instance/user-data.txt

# Operator actions (gen_userdata_e2e.ops=...), after the boot's own state is dumped
# above, so the scenario's asserts see the boot as it was; what the actions did
# follows in sections of its own.
ops=$(param ops)
if [ -n "$ops" ]; then
  opstart=$SECONDS
  opslog=$(mktemp)
  /usr/local/libexec/gen-userdata-e2e/operator.sh >"$opslog" 2>&1
  emit ops-log "$?" "$opslog"
  section ops-seconds echo "$((SECONDS - opstart))"
  section ops-journal-warnings journalctl -b -p warning --no-pager -o short-monotonic -n 100
  binary_section ops-files tar -czf - --ignore-failed-read --warning=no-file-changed \
    /var/lib/gen-userdata-e2e /var/log/gen-userdata-e2e /var/lib/gen-userdata /var/log/gen-userdata \
    /etc/apt/sources.list.d /var/log/apt /var/log/dpkg.log /etc/kubernetes/manifests
fi
printf '@@PROBE END\n' >&3
exec 3>&-
sync

# --force: skip stopping every unit (tens of seconds under TCG); filesystems are
# still unmounted or remounted read-only, so a kept disk (the golden image) is clean.
if [ -z "$(param keep_running)" ]; then
  systemctl poweroff --force --no-block
fi
