#!/usr/bin/env bash
# Console-log classifier throughput (issue 4): builds a ~100 MB console log
# by repeating the corpus (tests/data/console/*.log: real boots and
# hand-written reports), then measures
#   - classify() alone (bench/classifier_bench.cpp, built here against the
#     build tree's libpipehang_report.a), median of BENCH_REPS runs;
#   - `pipehang parse` end to end (read file, classify, print titles).
# Prints figures only; nothing here passes or fails on timing.
# Usage: bench/classifier.sh [BUILD_DIR]   (env: BENCH_MB=100 BENCH_REPS=5)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
mb=${BENCH_MB:-100}
reps=${BENCH_REPS:-5}
lib="$build/userspace/libpipehang_report.a"
[ -f "$lib" ] || { echo "bench/classifier: $lib missing: build first (make)"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "bench/classifier: building the bench program"
${CXX:-g++} -std=c++20 -O2 -I"$src/userspace" "$src/bench/classifier_bench.cpp" "$lib" \
	-o "$work/classifier_bench"

log="$work/console.log"
one="$work/corpus-once.log"
cat "$src"/tests/data/console/*.log > "$one"
once=$(stat -c %s "$one")
copies=$(( mb * 1000000 / once + 1 ))
for _ in $(seq 1 "$copies"); do cat "$one"; done > "$log"
echo "bench/classifier: $(ls "$src"/tests/data/console/*.log | wc -l) corpus logs ($once bytes) x $copies = $(stat -c %s "$log") bytes, $(wc -l < "$log") lines"

"$work/classifier_bench" "$log" "$reps"

ph="$build/bin/pipehang"
if [ -x "$ph" ]; then
	t0=$(date +%s.%N)
	n=$("$ph" parse "$log" | wc -l)
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v s="$(stat -c %s "$log")" -v n="$n" \
		'BEGIN { printf "pipehang parse end to end: %.2f s, %.1f MB/s, %d titles\n", b - a, s / 1e6 / (b - a), n }'
fi
