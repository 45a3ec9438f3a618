#!/usr/bin/env bash
# k-ary multisection figures (issue 19, docs/bisect.md "Multisection"):
# rounds, builds and the modelled wall time for k = 1, 3, 7, 15 on
# synthetic histories of 1,000 and 10,000 commits, linear and with merges,
# against git's rules (tests/unit/engines/dag_engine.h) and a fake oracle
# whose build and test costs are measured figures (BUILD_S, TEST_S).
# Prints figures only; nothing here passes or fails on timing.
# Usage: bench/multisection.sh [BUILD_DIR]   (env: BUILD_S=33 TEST_S=40)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
libs=()
for l in bisect util; do
	f="$build/userspace/libpipehang_$l.a"
	[ -f "$f" ] || { echo "bench/multisection: $f missing: build first (make)"; exit 1; }
	libs+=("$f")
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "bench/multisection: building the bench program"
${CXX:-g++} -std=c++20 -O2 -I"$src/userspace" -I"$src/tests/unit" "$src/bench/multisection_bench.cpp" "${libs[@]}" \
	-lfmt -lcrypto -o "$work/multisection_bench"
"$work/multisection_bench" "${BUILD_S:-33}" "${TEST_S:-40}"
