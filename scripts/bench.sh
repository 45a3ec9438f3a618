#!/usr/bin/env bash
# 'make bench': runs every bench/*.sh and every built bench binary; each
# prints its own measured figures. Nothing here passes or fails on timing.
set -uo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
status=0
for b in bench/*.sh; do
  [ -x "$b" ] || continue
  echo "== $b"
  "$b" "$build" || { echo "bench: $b failed (exit $?)"; status=1; }
done
exit $status
