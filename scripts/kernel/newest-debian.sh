#!/usr/bin/env bash
# Prints the newest Debian kernel version of a series and flavour that apt
# knows, e.g. `newest-debian.sh 6.1 rt` -> 6.1.0-57-rt-amd64,
# `newest-debian.sh 6.12` -> 6.12.117+deb12-amd64. The archive moves on (a
# pinned version stops existing), so tests name a series, not a version.
#
# Usage: scripts/kernel/newest-debian.sh SERIES [FLAVOUR]
#   SERIES   6.1 (package names 6.1.0-ABI-...) or 6.12 (6.12.N+debN-...)
#   FLAVOUR  amd64 (default), cloud or rt
# Exit: 0 printed, 1 no such package in the apt archive, 2 usage error.
set -euo pipefail
series=${1:-}
flavour=${2:-amd64}
case $series in 6.1|6.12) ;; *) echo "newest-debian: SERIES must be 6.1 or 6.12, not '$series'" >&2; exit 2 ;; esac
case $flavour in amd64) suffix=amd64 ;; cloud|rt) suffix=$flavour-amd64 ;;
*) echo "newest-debian: FLAVOUR must be amd64, cloud or rt, not '$flavour'" >&2; exit 2 ;; esac
if [ "$series" = 6.1 ]; then
	re="^linux-image-6\\.1\\.0-[0-9]+-$suffix\$"
	prefix=linux-image-6.1.0-
else
	re="^linux-image-6\\.12\\.[0-9]+\\+deb[0-9]+-$suffix\$"
	prefix=linux-image-6.12.
fi
pkg=$(apt-cache pkgnames "$prefix" | grep -E "$re" | sort -V | tail -n 1 || true)
[ -n "$pkg" ] || { echo "newest-debian: no $prefix*-$suffix package in the apt archive (apt-get update?)" >&2; exit 1; }
echo "${pkg#linux-image-}"
