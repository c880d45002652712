#!/bin/bash
# Builds the e2e guest image: Debian bookworm (minbase) with the cloud kernel,
# real cloud-init (NoCloud only) and containerd, plus our stand-in kubeadm,
# kubelet and kubectl, a fake API endpoint listener and a probe unit (all from
# ./overlay). Output (in OUT_DIR): disk.qcow2, vmlinuz, initrd.img, packages.txt,
# and the stamp file "ready" written last.
#
# Usage: build-image.sh OUT_DIR      (as root; needs debootstrap, mkfs.ext4, qemu-img)
# Env:   E2E_MIRROR  Debian mirror (default: the first Debian URI in this machine's apt sources)
#        E2E_SUITE   default bookworm
#
# No mounts of the image itself: the disk is made by `mkfs.ext4 -d rootfs`.
# Only /proc (and /dev/pts-free /dev) is bind-mounted into the chroot while
# packages are configured, and always unmounted on exit.
set -euo pipefail

OUT_DIR=${1:?usage: build-image.sh OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
SUITE=${E2E_SUITE:-bookworm}
DISK_SIZE=${E2E_DISK_SIZE:-4G}

log() { printf '[build-image %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

[ "$(id -u)" = 0 ] || { echo "build-image.sh: must run as root" >&2; exit 1; }
for t in debootstrap mkfs.ext4 qemu-img chroot mount; do
  command -v "$t" >/dev/null || { echo "build-image.sh: missing $t" >&2; exit 1; }
done

# Use the same Debian mirror apt is configured with on this machine.
if [ -z "${E2E_MIRROR:-}" ]; then
  E2E_MIRROR=$(grep -hoE 'https?://[^ ]*/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | head -n1 | tr -d ' ' || true)
  if [ -z "$E2E_MIRROR" ]; then
    E2E_MIRROR=$(grep -hE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 | awk '{print $2}' || true)
  fi
  E2E_MIRROR=${E2E_MIRROR:-http://deb.debian.org/debian}
fi
log "mirror $E2E_MIRROR, suite $SUITE"

mkdir -p "$OUT_DIR"
WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/gen-userdata-e2e-build.XXXXXX")
ROOTFS=$WORK/rootfs
cleanup() {
  set +e
  for m in "$ROOTFS/proc" "$ROOTFS/dev"; do
    mountpoint -q "$m" && umount -l "$m"
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- 1. base system -----------------------------------------------------------
# debootstrap does not resolve virtual packages, so everything it installs is
# named concretely; the rest comes from apt inside the chroot.
BASE_PKGS=linux-image-cloud-amd64,initramfs-tools,systemd-sysv,udev,dbus,iproute2,iptables,kmod,procps,netbase,sudo,less,ca-certificates,curl
log "debootstrap ($BASE_PKGS)"
debootstrap --variant=minbase --include="$BASE_PKGS" "$SUITE" "$ROOTFS" "$E2E_MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -n 40 "$WORK/debootstrap.log" >&2
  # A failed kernel postinst (no /proc) is fixed below by dpkg --configure -a.
  [ -x "$ROOTFS/usr/bin/dpkg" ] || exit 1
  log "debootstrap reported an error; continuing with dpkg --configure -a"
}

mount -t proc proc "$ROOTFS/proc"
mount --bind /dev "$ROOTFS/dev"
in_root() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# Keep services from starting inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
chmod 0755 "$ROOTFS/usr/sbin/policy-rc.d"
# Make sure the initramfs can find the root disk and that the seed CD-ROM works.
cat >>"$ROOTFS/etc/initramfs-tools/modules" <<'EOF'
virtio_pci
virtio_blk
ext4
EOF
printf 'MODULES=most\n' >"$ROOTFS/etc/initramfs-tools/conf.d/e2e-modules.conf"

log "dpkg --configure -a"
in_root dpkg --configure -a >"$WORK/dpkg-configure.log" 2>&1 || { tail -n 40 "$WORK/dpkg-configure.log" >&2; exit 1; }

# --- 2. the rest, with apt ------------------------------------------------------
# gpg and apt-transport-https: the install path's first apt-get install names them, and
# its guest reaches no Debian mirror (test/helpers/vm-mirror.ts). e2fsprogs: cloud-init's
# resizefs runs resize2fs, which trixie's minbase no longer brings (bookworm's did).
EXTRA_PKGS="python3-cffi-backend cloud-init containerd ufw ipvsadm ipset conntrack locales openssh-server gpg apt-transport-https e2fsprogs"
log "apt-get install $EXTRA_PKGS"
printf 'deb %s %s main\n' "$E2E_MIRROR" "$SUITE" >"$ROOTFS/etc/apt/sources.list"
in_root apt-get update >"$WORK/apt.log" 2>&1 || { tail -n 40 "$WORK/apt.log" >&2; exit 1; }
# shellcheck disable=SC2086
in_root apt-get install -y --no-install-recommends $EXTRA_PKGS >>"$WORK/apt.log" 2>&1 || { tail -n 40 "$WORK/apt.log" >&2; exit 1; }

# --- 3. configuration -----------------------------------------------------------
log "configure guest"
# Pre-generate the locale cloud-init sets, so its locale module has nothing slow to do.
sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' "$ROOTFS/etc/locale.gen"
in_root locale-gen >/dev/null
printf 'LANG=en_US.UTF-8\n' >"$ROOTFS/etc/default/locale"

printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$ROOTFS/etc/fstab"
printf 'e2e-image\n' >"$ROOTFS/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$ROOTFS/etc/hosts"
# Fresh identity on every boot of a throwaway overlay.
: >"$ROOTFS/etc/machine-id"
rm -f "$ROOTFS"/etc/ssh/ssh_host_*key*
# No root password, no network: the guest is only reachable through its serial ports.
in_root passwd -d root >/dev/null

# Test fixtures: stand-ins, probe, fake API endpoint, cloud-init datasource config.
cp -a "$HERE/overlay/." "$ROOTFS/"
chown -R root:root "$ROOTFS/usr/local/libexec/gen-userdata-e2e" "$ROOTFS/etc/gen-userdata-e2e"
for tool in kubeadm kubelet kubectl; do
  ln -sf /usr/local/libexec/gen-userdata-e2e/standin.py "$ROOTFS/usr/bin/$tool"
done
in_root systemctl enable gen-userdata-e2e-probe.service gen-userdata-e2e-fake-api.service gen-userdata-e2e-fake-nodeport.service gen-userdata-e2e-apt-install-prep.service >/dev/null 2>&1
# cloud-init renders network-config for systemd-networkd in this image (no ifupdown, no
# netplan), so networkd has to run for boots that have a NIC (test/helpers/vm-mirror.ts).
in_root systemctl enable systemd-networkd.service >/dev/null 2>&1
# kubelet.service stays disabled (the stricter case): the bootstrap has to enable it.
# These only slow a network-less guest down.
in_root systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer man-db.timer >/dev/null 2>&1 || true

for m in virtio_blk ext4 isofs sr_mod; do
  if ! find "$ROOTFS/lib/modules" -name "$m.ko*" | grep -q . && ! grep -qw "$m" "$ROOTFS"/lib/modules/*/modules.builtin; then
    echo "build-image.sh: kernel lacks module $m" >&2; exit 1
  fi
done
in_root update-initramfs -u -k all >"$WORK/initramfs.log" 2>&1 || { tail -n 40 "$WORK/initramfs.log" >&2; exit 1; }
for m in virtio_blk ext4; do
  if ! in_root sh -c "lsinitramfs /boot/initrd.img-* | grep -q '/$m.ko' || grep -qw '$m' /lib/modules/*/modules.builtin"; then
    echo "build-image.sh: initrd lacks $m" >&2; exit 1
  fi
done

rm -f "$ROOTFS/usr/sbin/policy-rc.d"
in_root apt-get clean
# shellcheck disable=SC2016 # dpkg-query's own format, not shell
in_root dpkg-query -W -f '${Package} ${Version}\n' >"$WORK/packages.txt"
umount -l "$ROOTFS/proc" "$ROOTFS/dev"

# --- 4. disk and boot files -----------------------------------------------------
log "mkfs.ext4 -d + qemu-img convert"
cp "$ROOTFS"/boot/vmlinuz-* "$WORK/vmlinuz"
cp "$ROOTFS"/boot/initrd.img-* "$WORK/initrd.img"
mkfs.ext4 -q -F -L e2e-root -d "$ROOTFS" "$WORK/disk.raw" "$DISK_SIZE"
qemu-img convert -O qcow2 "$WORK/disk.raw" "$WORK/disk.qcow2"
rm -f "$WORK/disk.raw"

for f in disk.qcow2 vmlinuz initrd.img packages.txt; do
  mv -f "$WORK/$f" "$OUT_DIR/$f"
done
date -u +%Y-%m-%dT%H:%M:%SZ >"$OUT_DIR/ready"
log "done: $OUT_DIR"
