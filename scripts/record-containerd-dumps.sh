#!/bin/bash
# Records what `containerd config dump` prints for containerd 1.6 (Debian 12),
# 1.7 (Debian 13) and 2.x (Debian unstable), with our generated config.toml and
# with an empty one (containerd's defaults), as fixtures for the containerd-config
# step's reader of the effective config (test/plan/containerd-config-dumps.test.ts).
# `config dump` needs no daemon and no root: each binary is run from its unpacked
# package. The only edit to the output: the `imports` line names
# /etc/containerd/config.toml, the path the node uses, instead of this run's
# temporary copy.
#
# Usage: record-containerd-dumps.sh CONFIG_TOML OUT_DIR
#   CONFIG_TOML: /etc/containerd/config.toml as generated (copied to OUT_DIR/config.toml)
# Writes OUT_DIR/<containerd version>/{ours,default}.toml.
set -euo pipefail

CONFIG=${1:?usage: record-containerd-dumps.sh CONFIG_TOML OUT_DIR}
OUT=${2:?usage: record-containerd-dumps.sh CONFIG_TOML OUT_DIR}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/containerd-dumps.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$OUT"
cp "$CONFIG" "$OUT/config.toml"
cp "$CONFIG" "$WORK/config.toml"
: >"$WORK/empty.toml"
for suite in bookworm trixie sid; do
  root=$("$HERE/debian-package.sh" "$suite" "$WORK/$suite" containerd)
  bin=$root/usr/bin/containerd
  version=$("$bin" --version | awk '{print $3}')
  version=${version#v}
  version=${version%%[~+]*}
  mkdir -p "$OUT/$version"
  "$bin" --config "$WORK/config.toml" config dump 2>/dev/null \
    | sed "s|$WORK/config.toml|/etc/containerd/config.toml|g" >"$OUT/$version/ours.toml"
  "$bin" --config "$WORK/empty.toml" config dump 2>/dev/null \
    | sed "s|$WORK/empty.toml|/etc/containerd/config.toml|g" >"$OUT/$version/default.toml"
  "$bin" --version >"$OUT/$version/version.txt"
  echo "containerd $version ($suite): $OUT/$version" >&2
done
