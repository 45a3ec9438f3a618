#!/usr/bin/env bash
# Benchmark: `make bisect-demo`'s bisection (the real bug's replay history,
# default mode: replay-v5.5 found bad, the search back to replay-v5.4, the
# narrowing, the revert check) with --workers 1 and --workers 2, interleaved,
# REPEAT times each, on the fixture as it is (builds restored from the build
# cache when the fixture was built before: then the wall time is mostly
# boots). Prints one line per bisection and the medians:
#   k=K rounds=R narrowed=N revisions=T wall=W
# and the ratios k=2 / k=1. Measured figures only; nothing asserted.
# Usage: bench/pool.sh [BUILD_DIR] [REPEAT]   (default build, 3)
set -uo pipefail
build=${1:-build} repeat=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
ph=$build/bin/pipehang
[ -x "$ph" ] || { echo "bench/pool: $ph not built" >&2; exit 2; }
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "bench/pool: REPEAT '$repeat' is not a positive number" >&2; exit 2; }
source "$root/scripts/bisect-demo/fixture-lock.sh"
lock_fixture bench-pool || exit 1
fixture="$fixture" "$root/scripts/bisect-demo/make-history.sh" replay >/dev/null || exit 1
out=$(mktemp -d /tmp/pipehang-bench-pool.XXXXXX)
declare -A walls rounds
for i in $(seq "$repeat"); do
	for k in 1 2; do
		t0=$(date +%s.%N)
		rc=0
		timeout 3600 "$ph" bisect --tree "$fixture" --good replay-v5.5 --bad replay-v5.6 --runs 2 --no-rebisect \
			--workers "$k" --json "$out/k$k-$i.json" >"$out/k$k-$i.log" 2>&1 || rc=$?
		w=$(echo "$(date +%s.%N) - $t0" | bc)
		j() { jq -r "$1" "$out/k$k-$i.json" 2>/dev/null; }
		r=$(j .first.rounds) n=$(j '[.first.tested[] | select(.role == "bisect")] | length')
		printf 'k=%s rounds=%s narrowed=%s revisions=%s wall=%.0f culprit=%s exit=%s\n' "$k" "$r" "$n" \
			"$(j .first.revisions_tested)" "$w" "$(j .first.culprit.id | cut -c1-12)" "$rc"
		walls[$k]+="$w " rounds[$k]+="$r "
	done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
w1=$(median <<<"${walls[1]}") w2=$(median <<<"${walls[2]}")
r1=$(median <<<"${rounds[1]}") r2=$(median <<<"${rounds[2]}")
printf 'median k=1: rounds=%s wall=%.0f s\n' "$r1" "$w1"
printf 'median k=2: rounds=%s wall=%.0f s\n' "$r2" "$w2"
printf 'k=2 / k=1: rounds %.2fx, wall %.2fx\n' "$(echo "$r2 / $r1" | bc -l)" "$(echo "$w2 / $w1" | bc -l)"
echo "logs: $out"
