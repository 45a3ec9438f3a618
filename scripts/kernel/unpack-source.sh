#!/usr/bin/env bash
# Unpacks Debian's linux-source-6.1 tarball into DIR (must not exist).
# Usage: scripts/kernel/unpack-source.sh DIR
# Exit: 0 done, 1 failure, 2 usage error.
set -euo pipefail
source "$(dirname "$0")/env.sh"

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dest=$1
[ -e "$dest" ] && { echo "unpack-source: $dest already exists" >&2; exit 2; }
[ -r "$KERNEL_SOURCE_TARBALL" ] || {
	echo "unpack-source: $KERNEL_SOURCE_TARBALL missing (apt-get install linux-source-6.1)" >&2
	exit 1
}
tmp=$dest.unpacking.$$
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"
echo "unpack-source: unpacking $KERNEL_SOURCE_TARBALL into $dest"
# The tarball holds one top directory (linux-source-6.1/); strip it.
tar -xJf "$KERNEL_SOURCE_TARBALL" -C "$tmp" --strip-components=1
mv "$tmp" "$dest"
trap - EXIT
