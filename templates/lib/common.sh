# shellcheck shell=bash
# gen-userdata shell library: the functions every gen-userdata script on a node
# shares (the first-boot bootstrap, provision.sh of a golden image, and the node
# tools). Written once per node and sourced, never run; it sets no shell options
# and changes nothing on the node by itself.

# Parts in controlPlane sections reach control planes only: a worker's
# user-data carries only what a worker runs (the size counts against user-data
# limits, and a worker has no admin kubeconfig to use).

# State of the bootstrap and the tools (markers, kept files); private to root.
# shellcheck disable=SC2034 # used by the scripts that source this library
readonly STATE_DIR=/var/lib/gen-userdata
{{#controlPlane}}
# shellcheck disable=SC2034 # used by the scripts that source this library
readonly ADMIN_KUBECONFIG=/etc/kubernetes/admin.conf
{{/controlPlane}}

# Prints "<UTC time> <message>" on stderr: into the bootstrap log once log_to_file
# has run, on the terminal or in the journal for a tool.
log() { printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }

# Logs the message and exits the script with status 1.
die() {
  log "$*"
  exit 1
}

# Sends the script's stdout and stderr to the terminal or journal and appends them
# to FILE too. The log may quote kubeadm's output: its directory is root's only.
log_to_file() {
  local file=$1
  mkdir -p "$(dirname "$file")"
  chmod 0700 "$(dirname "$file")"
  exec > >(tee -a "$file") 2>&1
}

# Succeeds when host:port accepts a TCP connection within 5 seconds.
endpoint_reachable() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner shell
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Whole seconds since boot (monotonic, unlike the wall clock).
uptime_seconds() {
  local up
  read -r up _ </proc/uptime
  printf '%s\n' "${up%.*}"
}

# retry ATTEMPTS DELAY CMD...: runs CMD until it succeeds, at most ATTEMPTS times,
# sleeping DELAY seconds between attempts. Returns CMD's last exit status.
retry() {
  local attempts=$1 delay=$2 attempt=1 rc
  shift 2
  while :; do
    rc=0
    "$@" || rc=$?
    [ "$rc" -eq 0 ] && return 0
    if [ "$attempt" -ge "$attempts" ]; then
      log "$1 failed $attempt time(s) (exit $rc); giving up"
      return "$rc"
    fi
    log "$1 failed (exit $rc), attempt $attempt of $attempts; again in ${delay}s"
    attempt=$((attempt + 1))
    sleep "$delay"
  done
}

# wait_until SECONDS DESCRIPTION CMD...: runs CMD every WAIT_INTERVAL seconds
# (default 5) until it succeeds or SECONDS have passed on the monotonic clock.
# Returns 0 once CMD succeeds, 1 when the time is up.
wait_until() {
  local limit=$1 what=$2 deadline remaining
  shift 2
  deadline=$(($(uptime_seconds) + limit))
  while :; do
    if "$@"; then
      return 0
    fi
    remaining=$((deadline - $(uptime_seconds)))
    if [ "$remaining" -le 0 ]; then
      log "gave up waiting for $what after ${limit}s"
      return 1
    fi
    log "waiting for $what (${remaining}s left)"
    sleep $((remaining < ${WAIT_INTERVAL:-5} ? remaining : ${WAIT_INTERVAL:-5}))
  done
}

# run_step NAME FN [DONE_MARKER]: one logged step of a script (the bootstrap, the
# upgrade scripts). FN runs in a subshell with errexit on, which `if FN` would switch
# off; when it fails, step_failed NAME runs if the script defines one, and the script
# exits with FN's status. With DONE_MARKER, a step whose marker exists is skipped
# and a step that succeeds writes it, so a re-run does only what is left.
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

{{#controlPlane}}
# kubectl with the cluster-admin kubeconfig kubeadm writes on a control plane.
kubectl_admin() { kubectl --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }
{{/controlPlane}}

# Succeeds once systemd reports the clock synchronised by NTP.
clock_synchronised() { [ "$(timedatectl show -p NTPSynchronized --value 2>/dev/null)" = yes ]; }

# log_clock_offset HOST PORT: logs how far this clock is from the API server's (the
# Date header of its reply; negative: this clock is behind) and whether NTP synchronised it.
log_clock_offset() {
  local d t s=unknown
  d=$(curl -sk -o /dev/null -D - --max-time 5 "https://$1:$2/healthz" | sed -n 's/^[Dd]ate: \(.*\)\r$/\1/p') || true
  if [ -n "$d" ] && t=$(date -u -d "$d" +%s); then s="$(($(date -u +%s) - t))s"; fi
  log "x509 time error: clock offset to the API server: $s; NTP synchronised: $(timedatectl show -p NTPSynchronized --value || echo unknown)"
}

# apt-get that waits for a lock held by another first-boot job (e.g. unattended
# upgrades on Ubuntu) instead of failing, and retries flaky downloads. needrestart
# (Ubuntu 22.04+) would otherwise ask which services to restart: restart them.
apt_get() {
  NEEDRESTART_MODE=a apt-get -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3 "$@"
}

# detect_os FILE: sets OS_ID (debian, ubuntu, flatcar, ...), OS_VERSION_ID (13,
# 24.04; empty on Debian testing) and OS_FAMILY (debian for Debian and derivatives
# that say ID_LIKE=debian, else OS_ID) from FILE (/etc/os-release), read, never
# sourced. Returns 1 when FILE is unreadable or has no ID.
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

# write_kubelet_patch DIR [RESOLVED]: kubeadm's per-node patch of this kubelet's
# config (DIR is Init/JoinConfiguration patches.directory; kubeadm fails if it is
# missing). resolvConf: with systemd-resolved (Ubuntu, Flatcar) /etc/resolv.conf is
# the 127.0.0.53 stub, which pods cannot use (CoreDNS would forward to itself and
# loop), so kubelet takes resolved's upstream list when RESOLVED
# (/run/systemd/resolve/resolv.conf) exists; else /etc/resolv.conf. Set per node,
# whatever the cluster-wide config says, so a cluster may mix both kinds.
write_kubelet_patch() {
  local resolv=/etc/resolv.conf resolved=${2:-/run/systemd/resolve/resolv.conf}
  if [ -f "$resolved" ]; then resolv=$resolved; fi
  mkdir -p "$1"
  printf 'resolvConf: %s\n' "$resolv" >"$1/kubeletconfiguration+merge.yaml"
  log "kubelet resolvConf: $resolv"
}

# Succeeds when the first version a tool reports in its output ($3) is exactly $2:
# v1.30.1 is not v1.30.14 or v1.30.1-rc.0. Logs the version the tool reported.
expect_version() {
  local what=$1 expected=$2 actual
  actual=$(grep -oE 'v[0-9]+[.][0-9]+[.][0-9]+[0-9A-Za-z.+-]*' <<<"$3" | head -n 1) || actual=''
  if [ "$actual" != "$expected" ]; then
    log "version mismatch for $what: expected $expected, got ${actual:-no version} from: $3"
    return 1
  fi
  log "$what: $actual"
}

# Prints the machine's architecture as Debian and Kubernetes name it (amd64 or
# arm64), from uname -m. Fails for any other machine type (armv7l, a 32-bit
# armv8l userland, riscv64, ...): nothing gen-userdata installs exists for them.
detect_arch() {
  local machine
  machine=$(uname -m)
  case $machine in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *)
      log "unsupported machine type $machine: gen-userdata nodes are amd64 or arm64"
      return 1
      ;;
  esac
}

{{^controlPlane}}
# kubeadm reset -f; a worker keeps nothing across it.
reset_node() {
  kubeadm reset -f || log "kubeadm reset reported an error; continuing"
}
{{/controlPlane}}
{{#controlPlane}}
# kubeadm reset empties /etc/kubernetes/pki, which on a control plane holds the
# shared CAs that came with the user-data, and /etc/kubernetes/manifests, which on
# a control plane with cluster.vip holds the kube-vip static pod that brings up the
# VIP; keep both across the reset.
reset_node() {
  local keep=$STATE_DIR/pki-keep
{{#kubeVip}}
  local vip=/etc/kubernetes/manifests/kube-vip.yaml vip_keep=$STATE_DIR/kube-vip.yaml.keep
{{/kubeVip}}
  rm -rf "$keep"
  if [ -f /etc/kubernetes/pki/ca.key ]; then
    mkdir -p "$keep"
    chmod 0700 "$keep"
    cp -a /etc/kubernetes/pki/. "$keep/"
  fi
{{#kubeVip}}
  if [ -f "$vip" ]; then cp -a "$vip" "$vip_keep"; fi
{{/kubeVip}}
  kubeadm reset -f || log "kubeadm reset reported an error; continuing"
{{#kubeVip}}
  if [ -f "$vip_keep" ]; then
    mkdir -p "$(dirname "$vip")"
    mv -f "$vip_keep" "$vip"
  fi
{{/kubeVip}}
  if [ -d "$keep" ]; then
    mkdir -p /etc/kubernetes/pki
    for f in ca.crt ca.key front-proxy-ca.crt front-proxy-ca.key sa.pub sa.key etcd/ca.crt etcd/ca.key; do
      if [ -f "$keep/$f" ]; then
        mkdir -p "$(dirname "/etc/kubernetes/pki/$f")"
        cp -a "$keep/$f" "/etc/kubernetes/pki/$f"
      fi
    done
    rm -rf "$keep"
  fi
}
{{/controlPlane}}
