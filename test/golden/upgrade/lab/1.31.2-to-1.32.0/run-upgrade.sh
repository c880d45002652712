#!/bin/bash
# gen-userdata: upgrades cluster lab from Kubernetes 1.31.2 to 1.32.0 over SSH,
# one node at a time in the order of ./ORDER, and stops at the first failure.
# Control planes run their script whole; a worker is drained and uncordoned from
# the first control plane in ORDER (which has the admin kubeconfig) around its
# own script. The scripts are idempotent: after a failure, fix the cause and run
# this again; finished steps are skipped.
#
# Usage: ./run-upgrade.sh [--user USER] [--dry-run]
#   --user USER  SSH login with passwordless sudo on every node (default kube)
#   --dry-run    print what would run, connect to nothing
# SSH="ssh -i ~/.ssh/lab -o BatchMode=yes" ./run-upgrade.sh   sets the ssh command.
set -euo pipefail
cd "$(dirname "$0")"

user=kube
dry_run=0
while [ "$#" -gt 0 ]; do
  case "$1" in
    --user) user=${2:?--user needs a value}; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
read -r -a ssh_cmd <<<"${SSH:-ssh}"

# Runs ./<script> <phase> as root on <host>; the script goes over stdin.
remote() {
  local host=$1 script=$2 phase=$3
  printf '==> %s: %s %s\n' "$host" "$script" "$phase"
  [ "$dry_run" -eq 0 ] || return 0
  "${ssh_cmd[@]}" "$user@$host" sudo bash -s -- "$phase" <"$script"
}

admin_host=""
while read -r node ip role _ <&3; do
  case "$node" in '' | '#'*) continue ;; esac
  script="upgrade-$node.sh"
  [ -f "$script" ] || { echo "$script: not found (ORDER names $node)" >&2; exit 1; }
  if [ "$role" = control-plane ]; then
    remote "$ip" "$script" all
    [ -n "$admin_host" ] || admin_host=$ip
  else
    [ -n "$admin_host" ] || { echo "ORDER lists worker $node before any control plane" >&2; exit 1; }
    remote "$admin_host" "$script" drain
    remote "$ip" "$script" node
    remote "$admin_host" "$script" uncordon
  fi
done 3<ORDER
echo "cluster lab upgraded to 1.32.0"
