#!/usr/bin/env bash
# Benchmark: the bisect demo end to end (fixture build products removed first,
# so the first kernel build is included; ccache stays warm), printed next to
# syzbot's figures for the real bug. Measured figures only; nothing asserted.
# Usage: bench/bisect.sh [BUILD_DIR]
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/pipehang-bench-bisect.XXXXXX)
start=$(date +%s)
PIPEHANG_DEMO_OUT=$out "$root/scripts/bisect-demo/demo.sh" planted "$build" --clean >"$out/demo.out" 2>&1
rc=$?
wall=$(( $(date +%s) - start ))
json=$out/bisect.json
if [ ! -s "$json" ]; then
	echo "bench/bisect: the demo produced no report (exit $rc); see $out/demo.out"
	tail -n 20 "$out/demo.out"
	exit 1
fi
fmt() { local s=${1%.*}; printf '%dh%02dm%02ds' $((s / 3600)) $((s / 60 % 60)) $((s % 60)); }
printf '%-10s %-44s %9s %10s %10s %10s %8s\n' mode culprit revisions total build test min/rev
for key in first rebisect; do
	jq -e ".$key" "$json" >/dev/null 2>&1 || continue
	[ "$(jq -r ".$key" "$json")" = null ] && continue
	mode=$(jq -r ".$key.mode" "$json")
	culprit=$(jq -r ".$key.culprit.subject // \"(none)\"" "$json" | cut -c1-44)
	revs=$(jq -r ".$key.revisions_tested" "$json")
	tot=$(jq -r ".$key.total_seconds" "$json")
	bld=$(jq -r ".$key.build_seconds" "$json")
	tst=$(jq -r ".$key.test_seconds" "$json")
	mpr=$(awk -v t="$tot" -v r="$revs" 'BEGIN { printf "%.1f", r ? t / r / 60 : 0 }')
	printf '%-10s %-44s %9s %10s %10s %10s %8s\n' "$mode" "$culprit" "$revs" "$(fmt "$tot")" "$(fmt "$bld")" "$(fmt "$tst")" "$mpr"
done
printf '%-10s %-44s %9s %10s %10s %10s %8s\n' syzbot "open: introduce openat2(2) syscall (real)" 23 5h52m00s 2h27m00s 3h22m00s 15.3
echo "whole demo wall time (fixture, first kernel build, both bisections): $(fmt $wall); demo exit $rc"
echo "log: $out/bisect.log"
