#!/usr/bin/env bash
# Runs the classifier fuzzer for a bounded time on a scratch copy of the
# console corpus (so new inputs never land in the source tree). libFuzzer
# exits non-zero on a crash, a leak, an input slower than -timeout, or a
# broken invariant; so does this script.
# Usage: run_fuzz.sh FUZZER CORPUS_DIR SECONDS
set -euo pipefail
fuzzer=$1 seeds=$2 secs=${3:-60}
[ -x "$fuzzer" ] || { echo "run_fuzz: fuzzer binary '$fuzzer' missing (clang with libFuzzer needed)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/artifacts"
cp "$seeds"/*.log "$work/corpus/"
dict=$(dirname "$0")/classifier.dict
echo "run_fuzz: $(ls "$work/corpus" | wc -l) seed logs, ${secs}s, dictionary $dict"
# -max_len 1 MiB: long enough for megabyte-line cases; -timeout 10 s per input.
if ! "$fuzzer" -dict="$dict" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" 2>&1 | tail -25; then
	status=${PIPESTATUS[0]}
	for a in "$work"/artifacts/*; do
		[ -e "$a" ] && { echo "run_fuzz: failing input kept as /tmp/$(basename "$a")"; cp "$a" /tmp/; }
	done
	exit "$status"
fi
