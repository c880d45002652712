#!/bin/bash
# Downloads Debian packages of another release than the host's and unpacks each
# into DEST/<package>/, without touching the host's apt sources, lists or dpkg
# database: apt runs against a private root (DEST/.apt) whose only source is
# SUITE, checked with the host's debian-archive-keyring. Used by .ci/run for
# cloud-init 25 (Debian 13) and by scripts/record-containerd-dumps.sh.
#
# Usage: debian-package.sh SUITE DEST PACKAGE[=VERSION]...
# Env:   DEBIAN_MIRROR  default http://deb.debian.org/debian
# Prints DEST/<package> for each package. A package already unpacked at the
# requested version (DEST/<package>/.version) is not downloaded again.
set -euo pipefail

SUITE=${1:?usage: debian-package.sh SUITE DEST PACKAGE[=VERSION]...}
DEST=${2:?usage: debian-package.sh SUITE DEST PACKAGE[=VERSION]...}
shift 2
[ "$#" -gt 0 ] || { echo "debian-package.sh: no package named" >&2; exit 2; }
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || { echo "debian-package.sh: $KEYRING missing (apt-get install debian-archive-keyring)" >&2; exit 1; }

APT_ROOT=$DEST/.apt/$SUITE
mkdir -p "$APT_ROOT/lists/partial" "$APT_ROOT/cache/archives/partial" "$APT_ROOT/parts" "$APT_ROOT/debs"
: >"$APT_ROOT/status"
printf 'deb [signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$SUITE" >"$APT_ROOT/sources.list"
# Root's apt drops to _apt for downloads, which cannot write into DEST.
SANDBOX=()
if [ "$(id -u)" = 0 ]; then SANDBOX=(-o APT::Sandbox::User=root); fi
apt_private() {
  apt-get -q \
    -o Dir::Etc::sourcelist="$APT_ROOT/sources.list" -o Dir::Etc::sourceparts="$APT_ROOT/parts" \
    -o Dir::Etc::preferencesparts="$APT_ROOT/parts" -o Dir::State::Lists="$APT_ROOT/lists" \
    -o Dir::State::status="$APT_ROOT/status" -o Dir::Cache="$APT_ROOT/cache" \
    "${SANDBOX[@]}" "$@"
}

updated=0
for spec in "$@"; do
  name=${spec%%=*}
  target=$DEST/$name
  if [ -f "$target/.version" ] && { [ "$spec" = "$name" ] || [ "$(cat "$target/.version")" = "${spec#*=}" ]; }; then
    printf '%s\n' "$target"
    continue
  fi
  if [ "$updated" = 0 ]; then
    apt_private update >&2
    updated=1
  fi
  rm -f "$APT_ROOT/debs/${name}_"*.deb
  (cd "$APT_ROOT/debs" && apt_private download "$spec" >&2)
  deb=$(find "$APT_ROOT/debs" -maxdepth 1 -name "${name}_*.deb" | head -n 1)
  [ -n "$deb" ] || { echo "debian-package.sh: $spec was not downloaded" >&2; exit 1; }
  rm -rf "$target.tmp" "$target"
  dpkg-deb -x "$deb" "$target.tmp"
  dpkg-deb -f "$deb" Version >"$target.tmp/.version"
  mv "$target.tmp" "$target"
  printf '%s\n' "$target"
done
