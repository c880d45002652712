#!/bin/bash
# gen-userdata-etcd-backup: an etcd snapshot of this control plane, verified and
# rotated. Run by gen-userdata-etcd-backup.timer ({{schedule}}); run it by hand
# before an upgrade. etcdctl and etcdutl come from the etcd container kubeadm
# runs here (crictl exec): always the cluster's own etcd version, and no
# download, so it works air-gapped with images.repository as well.
# Snapshots: {{dir}}/etcd-<node>-<time>.db (0600), the newest {{keep}} kept.
set -Eeuo pipefail
. {{library}}

readonly BACKUP_DIR={{dir}}
readonly KEEP={{keep}}
# The etcd pod mounts /var/lib/etcd and /etc/kubernetes/pki/etcd from the host at
# the same paths, so a file etcdctl writes there is on the host too.
readonly SCRATCH=/var/lib/etcd/gen-userdata-snapshot.db
readonly PKI=/etc/kubernetes/pki/etcd

[ "$(id -u)" -eq 0 ] || die "run as root (sudo $0)"
umask 077
etcd=$(crictl ps --name '^etcd$' --state running -q 2>/dev/null | head -n 1 || true)
if [ -z "$etcd" ]; then
  # Before kubeadm init or join there is nothing to back up; after it, etcd must run.
  [ -f {{successMarker}} ] || { log "no etcd yet"; exit 0; }
  die "etcd is not running"
fi
etcdctl() {
  crictl exec "$etcd" etcdctl --endpoints=https://127.0.0.1:2379 \
    --cacert="$PKI/ca.crt" --cert="$PKI/healthcheck-client.crt" --key="$PKI/healthcheck-client.key" "$@"
}

rm -f "$SCRATCH"
trap 'rm -f "$SCRATCH"' EXIT
etcdctl snapshot save "$SCRATCH"
# etcdutl is the snapshot tool from etcd 3.5; older images only have etcdctl's.
if ! status=$(crictl exec "$etcd" etcdutl snapshot status "$SCRATCH" -w table 2>&1); then
  status=$(etcdctl snapshot status "$SCRATCH" -w table) || die "snapshot failed verification: $status"
fi
log "snapshot verified:"
printf '%s\n' "$status" >&2

mkdir -p "$BACKUP_DIR"
chmod 0700 "$BACKUP_DIR"
name="etcd-$(hostname)-$(date -u +%Y%m%dT%H%M%SZ).db"
mv "$SCRATCH" "$BACKUP_DIR/$name.part"
chmod 0600 "$BACKUP_DIR/$name.part"
mv "$BACKUP_DIR/$name.part" "$BACKUP_DIR/$name"
log "wrote $BACKUP_DIR/$name"

# Keep the newest $KEEP snapshots (the names sort by time).
mapfile -t old < <(find "$BACKUP_DIR" -maxdepth 1 -name 'etcd-*.db' -printf '%f\n' | sort -r | tail -n +$((KEEP + 1)))
for f in "${old[@]}"; do
  rm -f "$BACKUP_DIR/$f"
  log "removed old snapshot $f"
done
