#!/usr/bin/env bash
# Runs a pipehang command on the newest Debian kernel of a series/flavour:
#   newest-debian.sh SERIES FLAVOUR PIPEHANG SUBCOMMAND [ARGS...]
# e.g. `newest-debian.sh 6.12 rt pipehang run --runs 3` runs
# `pipehang run --kernel 6.12.117+deb12-rt-amd64 --runs 3` (the version
# from scripts/kernel/newest-debian.sh: the archive moves on).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib/exit-status.sh"
series=${1:?usage: newest-debian.sh SERIES FLAVOUR PIPEHANG SUBCOMMAND [ARGS...]}
flavour=${2:?usage: newest-debian.sh SERIES FLAVOUR PIPEHANG SUBCOMMAND [ARGS...]}
shift 2
k=$("$here/../../scripts/kernel/newest-debian.sh" "$series" "$flavour") || exit "$PH_EXIT_ERROR"
echo "newest-debian: $k" >&2
ph=$1 sub=$2
shift 2
exec "$ph" "$sub" --kernel "$k" "$@"
