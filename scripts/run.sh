#!/usr/bin/env bash
# 'make run': the main job. Until the QEMU harness lands this runs the
# reproducer on the host's own filesystem and prints its result.
set -euo pipefail
build=${1:-build}
dir=$(mktemp -d -p "${PIPEHANG_RUN_DIR:-/var/tmp}" pipehang-run.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "make run: repro-splice-dio on the host, in $dir"
"$build/bin/repro-splice-dio" --dir "$dir" --iterations 5 --entry auto
