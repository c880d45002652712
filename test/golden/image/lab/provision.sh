#!/bin/bash
# gen-userdata source: templates/bootstrap.sh
set -Eeuo pipefail
umask 022
export PATH=/opt/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

install -D -m 0644 /dev/stdin /usr/local/lib/gen-userdata/common.sh <<'GEN_USERDATA_EOF'
# gen-userdata source: templates/lib/common.sh
# shellcheck shell=bash


# shellcheck disable=SC2034 # used by the scripts that source this library
readonly STATE_DIR=/var/lib/gen-userdata

log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

log_to_file() {
  local file=$1
  mkdir -p "$(dirname "$file")"
  chmod 0700 "$(dirname "$file")"
  exec > >(tee -a "$file") 2>&1
}

run_step() {
  local name=$1 fn=$2 marker=${3:-} rc
  if [ -n "$marker" ] && [ -f "$marker" ]; then
    log "step $name: done before; skipping"
    return 0
  fi
  log "==> step $name"
  set +e
  ( set -Eeuo pipefail; "$fn" )
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    log "!!! step $name failed (exit $rc)"
    if declare -F step_failed >/dev/null; then step_failed "$name"; fi
    exit "$rc"
  fi
  if [ -n "$marker" ]; then date -u +%Y-%m-%dT%H:%M:%SZ >"$marker"; fi
  log "<== step $name ok"
}


apt_get() {
  NEEDRESTART_MODE=a apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"
}

detect_os() {
  local k v like=''
  OS_ID='' OS_VERSION_ID='' OS_FAMILY=''
  [ -r "$1" ] || return 1
  while IFS='=' read -r k v || [ -n "$k" ]; do
    v=${v#[\"\']} v=${v%[\"\']}
    case $k in ID) OS_ID=$v ;; VERSION_ID) OS_VERSION_ID=$v ;; ID_LIKE) like=$v ;; esac
  done <"$1"
  OS_FAMILY=$OS_ID
  case " $OS_ID $like " in *" debian "*) OS_FAMILY=debian ;; esac
  [ -n "$OS_ID" ]
}

expect_version() {
  local what=$1 expected=$2 actual
  actual=$(grep -oE 'v[0-9]+[.][0-9]+[.][0-9]+[0-9A-Za-z.+-]*' <<<"$3" | head -n 1) || actual=''
  if [ "$actual" != "$expected" ]; then
    log "version mismatch for $what: expected $expected, got ${actual:-no version} from: $3"
    return 1
  fi
  log "$what: $actual"
}
GEN_USERDATA_EOF
. /usr/local/lib/gen-userdata/common.sh

readonly LOG_FILE=/var/log/gen-userdata/provision.log
readonly SUCCESS_MARKER=/var/lib/gen-userdata/provision.done
readonly FAILURE_MARKER=/var/lib/gen-userdata/provision.failed

mkdir -p "$STATE_DIR" "$(dirname "$SUCCESS_MARKER")"
chmod 0700 "$STATE_DIR"
log_to_file "$LOG_FILE"

step_write_files() {
  install -D -m 0644 -o root -g root /dev/stdin /etc/containerd/config.toml <<'GEN_USERDATA_EOF'
# gen-userdata source: templates/files/containerd-config.toml
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
  SystemdCgroup = true

[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "/etc/containerd/certs.d"
GEN_USERDATA_EOF
  install -D -m 0644 -o root -g root /dev/stdin /etc/crictl.yaml <<'GEN_USERDATA_EOF'
# Written by gen-userdata: crictl talks to containerd's CRI socket.
runtime-endpoint: unix:///run/containerd/containerd.sock
image-endpoint: unix:///run/containerd/containerd.sock
timeout: 10
debug: false
GEN_USERDATA_EOF
  install -D -m 0644 -o root -g root /dev/stdin /etc/modules-load.d/gen-userdata-kubernetes.conf <<'GEN_USERDATA_EOF'
# gen-userdata source: templates/files/modules-load.conf
overlay
br_netfilter
ip_vs
ip_vs_rr
ip_vs_wrr
ip_vs_sh
nf_conntrack
GEN_USERDATA_EOF
  install -D -m 0644 -o root -g root /dev/stdin /etc/sysctl.d/99-gen-userdata-kubernetes.conf <<'GEN_USERDATA_EOF'
# gen-userdata source: templates/files/sysctl.conf
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
GEN_USERDATA_EOF
  log "wrote 4 files"
}

step_kernel_modules() {
  local m
  for m in overlay br_netfilter ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack; do
    modprobe "$m"
  done
  log "loaded: overlay br_netfilter ip_vs ip_vs_rr ip_vs_wrr ip_vs_sh nf_conntrack"
}

step_sysctl() {
  sysctl --system >/dev/null
  local key value actual
  while IFS='= ' read -r key value; do
    case "$key" in ''|'#'*) continue ;; esac
    actual=$(sysctl -n "$key")
    if [ "$actual" != "$value" ]; then
      log "sysctl $key is $actual, expected $value"; return 1
    fi
  done </etc/sysctl.d/99-gen-userdata-kubernetes.conf
  log "sysctls applied"
}

step_containerd() {
  if ! command -v containerd >/dev/null 2>&1; then
    apt_get update
    apt_get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold containerd
  fi
  log "$(containerd --version)"
}

step_containerd_config() {
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
  local image=registry.k8s.io/pause:3.9 configured
  configured=$(sed -nE "s/^[[:space:]]*(sandbox_image|sandbox) = [\"']([^\"']*)[\"'].*/\2/p" <<<"$dump")
  if ! grep -qxF -- "$image" <<<"$configured"; then
    log "containerd sandbox image is ${configured:-not set}, not $image"; return 1
  fi
  systemctl is-active --quiet containerd
  log "containerd running: SystemdCgroup=true, sandbox $image"
}

step_kubernetes_packages() {
  local keyring=/etc/apt/keyrings/kubernetes-apt-keyring.gpg
  apt_get update
  apt_get install -y apt-transport-https ca-certificates curl gpg conntrack ipset ipvsadm ufw
  install -d -m 0755 /etc/apt/keyrings
  curl -fsSL --retry 5 https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key | gpg --dearmor --yes -o "$keyring"
  chmod 0644 "$keyring"
  printf 'deb [signed-by=%s] %s /\n' "$keyring" https://pkgs.k8s.io/core:/stable:/v1.30/deb/ >/etc/apt/sources.list.d/kubernetes.list
  apt_get update
  apt-mark unhold kubelet kubeadm kubectl >/dev/null 2>&1 || true
  apt_get install -y --allow-downgrades kubelet=1.30.0-1.1 kubeadm=1.30.0-1.1 kubectl=1.30.0-1.1
  apt-mark hold kubelet kubeadm kubectl
  expect_version kubeadm v1.30.0 "$(kubeadm version -o short)"
  expect_version kubelet v1.30.0 "$(kubelet --version)"
  expect_version kubectl v1.30.0 "$(kubectl version --client 2>/dev/null)"
}

step_kubelet() {
  systemctl enable kubelet
  log "kubelet enabled"
}

step_images_pull() {
  kubeadm config images pull --kubernetes-version v1.30.0 --cri-socket unix:///run/containerd/containerd.sock
  local image=registry.k8s.io/pause:3.9
  crictl pull "$image"
  log "images for Kubernetes" v1.30.0 "and sandbox $image pulled"
}

step_image_cleanup() {
  if ! command -v cloud-init >/dev/null 2>&1; then
    log "cloud-init is not installed: nodes made from this image could not read their user-data"; return 1
  fi
  apt-get clean
  cloud-init clean --logs --machine-id
  rm -f /etc/ssh/ssh_host_*
  log "cloud-init state, machine-id and SSH host keys removed"
}

step_failed() { printf '%s\n' "$1" >"$FAILURE_MARKER"; }

rm -f "$FAILURE_MARKER"
log "gen-userdata provisioning of a golden image for cluster" lab starting
detect_os /etc/os-release || :
log "detected OS: $OS_ID $OS_VERSION_ID (family $OS_FAMILY)"
if [ "$OS_FAMILY" != debian ]; then
  log "needs Debian or Ubuntu; for Flatcar use --format ignition"
  echo os >"$FAILURE_MARKER"
  exit 1
fi
run_step write-files step_write_files
run_step kernel-modules step_kernel_modules
run_step sysctl step_sysctl
run_step containerd step_containerd
run_step containerd-config step_containerd_config
run_step kubernetes-packages step_kubernetes_packages
run_step kubelet step_kubelet
run_step images-pull step_images_pull
run_step image-cleanup step_image_cleanup
date -u +%Y-%m-%dT%H:%M:%SZ >"$SUCCESS_MARKER"
log "gen-userdata provisioning finished; shut the machine down and capture the image"
