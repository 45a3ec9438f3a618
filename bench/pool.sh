#!/usr/bin/env bash
# Benchmark: the pool on `make bisect-demo`'s history (the real bug's
# replay), --workers 1 and --workers 2, interleaved, REPEAT times each, on
# the fixture as it is (builds restored from the build cache when the
# fixture was built before: then the wall time is mostly boots), two ways:
#  demo       the demo's default-mode bisection (replay-v5.5 found bad, the
#             search back to replay-v5.4, the narrowing, the revert check);
#  narrowing  replay-v5.4..replay-v5.6, every revision booted (--no-reuse,
#             --no-verify): the narrowing, where the workers work.
# Prints one line per bisection and the medians:
#   CASE k=K rounds=R narrowed=N revisions=T wall=W
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
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for case in demo narrowing; do
	if [ "$case" = demo ]; then
		range=(--good replay-v5.5 --bad replay-v5.6)
	else
		range=(--good replay-v5.4 --bad replay-v5.6 --no-reuse --no-verify)
	fi
	declare -A walls=() rounds=()
	for i in $(seq "$repeat"); do
		for k in 1 2; do
			t0=$(date +%s.%N)
			rc=0
			f=$out/$case-k$k-$i
			timeout 3600 "$ph" bisect --tree "$fixture" "${range[@]}" --runs 2 --no-rebisect --workers "$k" \
				--json "$f.json" >"$f.log" 2>&1 || rc=$?
			w=$(echo "$(date +%s.%N) - $t0" | bc)
			j() { jq -r "$1" "$f.json" 2>/dev/null; }
			r=$(j .first.rounds) n=$(j '[.first.tested[] | select(.role == "bisect")] | length')
			printf '%s k=%s rounds=%s narrowed=%s revisions=%s wall=%.0f culprit=%s exit=%s\n' "$case" "$k" "$r" "$n" \
				"$(j .first.revisions_tested)" "$w" "$(j .first.culprit.id | cut -c1-12)" "$rc"
			walls[$k]+="$w " rounds[$k]+="$r "
		done
	done
	w1=$(median <<<"${walls[1]}") w2=$(median <<<"${walls[2]}")
	r1=$(median <<<"${rounds[1]}") r2=$(median <<<"${rounds[2]}")
	printf '%s median k=1: rounds=%s wall=%.0f s\n' "$case" "$r1" "$w1"
	printf '%s median k=2: rounds=%s wall=%.0f s\n' "$case" "$r2" "$w2"
	printf '%s k=2 / k=1: rounds %.2fx, wall %.2fx\n' "$case" "$(echo "$r2 / $r1" | bc -l)" "$(echo "$w2 / $w1" | bc -l)"
done
echo "logs: $out"
