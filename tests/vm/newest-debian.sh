#!/usr/bin/env bash
# Runs a pipehang command on the newest Debian kernel image of a series:
#   newest-debian.sh SERIES PIPEHANG SUBCOMMAND [ARGS...]
# SERIES "6.12" picks the newest linux-image-6.12.*+debN-amd64 that apt
# knows (the archive moves on; a pinned version would stop existing) and
# runs `PIPEHANG SUBCOMMAND --kernel <version> ARGS...`.
set -uo pipefail
series=${1:?usage: newest-debian.sh SERIES PIPEHANG SUBCOMMAND [ARGS...]}
shift
re="^linux-image-${series//./\\.}\\.[0-9]+\\+deb[0-9]+-amd64\$"
pkg=$(apt-cache pkgnames "linux-image-$series." | grep -E "$re" | sort -V | tail -n 1)
[ -n "$pkg" ] || { echo "newest-debian: no linux-image-$series.*-amd64 package in the apt archive (apt-get update?)"; exit 128; }
echo "newest-debian: $pkg" >&2
ph=$1 sub=$2
shift 2
exec "$ph" "$sub" --kernel "${pkg#linux-image-}" "$@"
