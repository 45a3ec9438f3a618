#!/usr/bin/env bash
# Time to verdict on the default Debian kernel, next to its bare boot time,
# all measured in this run (median of 3 each):
#   bare boot : `pipehang vm` with no script (boot to init, power off)
#   bad       : `pipehang run --disk-throttle 65536` (stops at the first hang)
#   good      : `pipehang run --runs 10` on a normal disk
# Targets (issue 5): bad within boot + 10 s; good within 2 x boot + 10 x run.
# Prints figures only; nothing here passes or fails on timing.
set -uo pipefail
build=${1:-build}
ph="$build/bin/pipehang"
reps=${BENCH_REPS:-3}
kernel=${BENCH_KERNEL:-$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*-amd64\)$/\1/p' | head -1)}
[ -n "$kernel" ] || kernel=6.1.0-56-amd64

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Warm the caches (download, module build, image) outside the timings.
echo "bench/verdict: kernel $kernel, $reps repetitions each; warming caches"
"$ph" vm --kernel "$kernel" --quiet >/dev/null 2>&1 || { echo "bench/verdict: warm-up boot failed"; exit 1; }

boot=() bad=() good=() runtime=()
for i in $(seq 1 "$reps"); do
	t0=$(now)
	"$ph" vm --kernel "$kernel" --quiet >/dev/null 2>&1
	t1=$(now)
	boot+=("$(elapsed "$t0" "$t1")")

	t0=$(now)
	"$ph" run --kernel "$kernel" --disk-throttle 65536 --quiet >/dev/null 2>&1
	rc=$?
	t1=$(now)
	[ $rc -eq 1 ] || echo "bench/verdict: warning: throttled run gave exit $rc, not bad"
	bad+=("$(elapsed "$t0" "$t1")")

	t0=$(now)
	json=$("$ph" run --kernel "$kernel" --runs 10 --json --quiet 2>/dev/null)
	rc=$?
	t1=$(now)
	[ $rc -eq 0 ] || echo "bench/verdict: warning: normal run gave exit $rc, not good"
	good+=("$(elapsed "$t0" "$t1")")
	# Mean guest-side run time (uptime between run-start and run-end).
	runtime+=("$(printf '%s' "$json" | sed -n 's/.*"mean_run_seconds": \([0-9.e-]*\).*/\1/p' | head -1)")
	echo "  rep $i: boot ${boot[-1]} s, bad ${bad[-1]} s, good(10 runs) ${good[-1]} s, mean run $(calc "${runtime[-1]:-0}" 2>/dev/null || echo "${runtime[-1]}") s"
done

mb=$(printf '%s\n' "${boot[@]}" | median)
mbad=$(printf '%s\n' "${bad[@]}" | median)
mgood=$(printf '%s\n' "${good[@]}" | median)
mrun=$(printf '%s\n' "${runtime[@]}" | median)
printf '\nbench/verdict (median of %d, TCG, load %s)\n' "$reps" "$(cut -d' ' -f1 /proc/loadavg)"
printf '  bare boot (boot to init + power off): %8.1f s\n' "$mb"
printf '  verdict bad  (throttled disk):        %8.1f s   target <= boot + 10 s = %.1f s\n' "$mbad" "$(calc "$mb + 10")"
printf '  verdict good (10 runs):               %8.1f s   target <= 2 x boot + 10 x run = %.1f s (run %.3f s)\n' \
	"$mgood" "$(calc "2 * $mb + 10 * $mrun")" "$mrun"
