#!/usr/bin/env bash
# Soak: many verdicts in a row, counting what goes wrong (prints figures;
# passes or fails nothing):
#   good    N x `pipehang run` on the default Debian 6.1 kernel, normal disk
#   slow    N x the same with --disk-throttle 65536 (want bad)
#   real    N x on the replay fixture's replay-v5.6 kernel, normal disk: the
#           real zero-length-bvec bug (want bad)
# For each: wrong verdicts (by exit status), harness errors, QEMU processes
# left running, temporary files left behind (each verdict gets a private
# TMPDIR), and cache entries added (other than the kept consoles, which are
# counted apart), plus median / max seconds per verdict, skips, and the
# emulator faults the oracle saw and re-booted past (docs/harness.md,
# "Emulator faults"; a skip or a wrong verdict after one would be the
# emulator's doing).
#
# Usage: bench/soak.sh [BUILD] [N]   (N default 100; SOAK_RUNS: --runs per
#        verdict, default 3; SOAK_SCENARIOS: default "good slow real";
#        SOAK_KERNEL: the --kernel of good and slow, default the newest
#        Debian 6.1, e.g. SOAK_KERNEL=$(scripts/kernel/newest-debian.sh 6.12 rt))
# The real-bug kernel is a git worktree of the fixture at replay-v5.6 in
# $PIPEHANG_CACHE/trees/linux-6.1-replay (built once; ccache makes it quick).
set -uo pipefail
build=${1:-build}
n=${2:-100}
runs=${SOAK_RUNS:-3}
scenarios=${SOAK_SCENARIOS:-good slow real}
root=$(cd "$(dirname "$0")/.." && pwd)
ph=$(cd "$build" && pwd)/bin/pipehang
source "$root/scripts/kernel/env.sh"
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "soak: N '$n' is not a positive number" >&2; exit 2; }
default=${SOAK_KERNEL:-$("$root/scripts/kernel/newest-debian.sh" 6.1)} || exit 1

real_tree=$PIPEHANG_CACHE/trees/linux-6.1-replay
if [[ " $scenarios " == *" real "* ]]; then
	"$root/scripts/bisect-demo/replay-worktree.sh" "$real_tree" || exit 1
	"$root/scripts/kernel/build-kernel.sh" "$real_tree" >/dev/null || { echo "soak: replay kernel build failed"; exit 1; }
fi

cache_entries() { find "$PIPEHANG_CACHE" -path "$PIPEHANG_CACHE/consoles" -prune -o -print 2>/dev/null | wc -l; }
console_dirs() { find "$PIPEHANG_CACHE/consoles" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Warm every cache (downloads, module builds, images) outside the counts.
"$ph" run --kernel "$default" --runs 1 --quiet >/dev/null 2>&1
[[ " $scenarios " == *" real "* ]] && "$ph" run --kernel "$real_tree" --runs 1 --quiet >/dev/null 2>&1

echo "soak: kernel $default (good, slow)"
printf '%-6s %5s %6s %6s %6s %6s %6s %6s %6s %8s %8s %8s\n' scenario N wrong error skip emu qemu tmp cache consoles median_s max_s
for sc in $scenarios; do
	case $sc in
	good) want=0 args=(--kernel "$default" --runs "$runs") ;;
	slow) want=1 args=(--kernel "$default" --runs "$runs" --disk-throttle 65536) ;;
	real) want=1 args=(--kernel "$real_tree" --runs "$runs") ;;
	*) echo "soak: unknown scenario $sc" >&2; exit 2 ;;
	esac
	wrong=0 errors=0 skips=0 emu=0 qemu=0 tmpleft=0 secs=()
	c0=$(cache_entries) d0=$(console_dirs)
	for i in $(seq 1 "$n"); do
		tmp=$(mktemp -d /tmp/pipehang-soak.XXXXXX)
		t0=$(date +%s.%N)
		TMPDIR=$tmp "$ph" run "${args[@]}" --quiet --json >"$tmp.json" 2>"$tmp.out"
		rc=$?
		t1=$(date +%s.%N)
		secs+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')")
		[ $rc -eq 128 ] && errors=$((errors + 1))
		[ $rc -eq 125 ] && skips=$((skips + 1))
		f=$(jq -r '.emulator_faults.count // 0' "$tmp.json" 2>/dev/null || echo 0)
		emu=$((emu + ${f:-0}))
		[ "${f:-0}" -gt 0 ] && echo "soak: $sc #$i: $f emulator fault(s) re-booted past, exit $rc" >&2
		if [ $rc -ne "$want" ]; then
			wrong=$((wrong + 1))
			echo "soak: $sc #$i: exit $rc, want $want: $(tail -n 2 "$tmp.out" | tr '\n' ' ')" >&2
		fi
		if pgrep -f -- "$tmp/" >/dev/null; then
			qemu=$((qemu + 1))
			pkill -9 -f -- "$tmp/"
		fi
		left=$(find "$tmp" -mindepth 1 | wc -l)
		tmpleft=$((tmpleft + left))
		rm -rf "$tmp" "$tmp.out" "$tmp.json"
		[ $((i % 10)) -eq 0 ] && echo "soak: $sc $i/$n (wrong so far: $wrong)" >&2
	done
	c1=$(cache_entries) d1=$(console_dirs)
	printf '%-6s %5d %6d %6d %6d %6d %6d %6d %6d %8d %8s %8s\n' "$sc" "$n" "$wrong" "$errors" "$skips" "$emu" "$qemu" "$tmpleft" \
		$((c1 - c0)) $((d1 - d0)) "$(printf '%s\n' "${secs[@]}" | median)" \
		"$(printf '%s\n' "${secs[@]}" | sort -n | tail -n 1)"
done
echo "soak: --runs $runs per verdict; skip = verdicts that were skip (exit 125), emu = emulator faults seen"
echo "      and re-booted past under tcg-single (not counted as evidence); qemu = verdicts that left a QEMU running, tmp = files left in the"
echo "      verdicts' private TMPDIRs, cache = cache entries added (consoles apart: one directory per verdict, kept 14 days)"
