#!/usr/bin/env bash
# The real trigger, measured (prints figures; passes or fails nothing):
#  1. on the replay fixture's kernel (replay-v5.6: the real bug), median of
#     BENCH_REPS (3): bare boot, time to verdict with the default --fill
#     mixed (bad on a normal disk), and with --fill pages (the slow-disk
#     look-alike alone: it misses the bug, so the verdict is good);
#  2. on the default Debian 6.1 kernel: what the real trigger costs a good
#     verdict, --runs 10 --fill mixed against --fill pages, paired runs,
#     median ratio.
# Needs the kernel-build packages (make deps-kernel); holds the fixture lock.
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
ph=$(cd "$build" && pwd)/bin/pipehang
reps=${BENCH_REPS:-3}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

source "$root/scripts/bisect-demo/fixture-lock.sh"
lock_fixture bench/real-trigger || exit 1
fixture="$fixture" "$root/scripts/bisect-demo/make-history.sh" replay >/dev/null || exit 1
git -C "$fixture" checkout -q -f replay-v5.6 || exit 1
"$root/scripts/kernel/build-kernel.sh" "$fixture" >/dev/null || { echo "bench/real-trigger: kernel build failed"; exit 1; }
"$ph" run --kernel "$fixture" --runs 1 --quiet >/dev/null 2>&1 # warm: module build, image

boot=() bad=() pages=()
for i in $(seq 1 "$reps"); do
	t0=$(now); "$ph" vm --kernel "$fixture" --quiet >/dev/null 2>&1; t1=$(now)
	boot+=("$(elapsed "$t0" "$t1")")
	t0=$(now); "$ph" run --kernel "$fixture" --runs 10 --quiet >/dev/null 2>&1; rc=$?; t1=$(now)
	[ $rc -eq 1 ] || echo "bench/real-trigger: warning: --fill mixed gave exit $rc, not bad"
	bad+=("$(elapsed "$t0" "$t1")")
	t0=$(now); "$ph" run --kernel "$fixture" --runs 10 --fill pages --quiet >/dev/null 2>&1; rc=$?; t1=$(now)
	[ $rc -eq 0 ] || echo "bench/real-trigger: warning: --fill pages gave exit $rc, not good"
	pages+=("$(elapsed "$t0" "$t1")")
done
echo "replay kernel (real bug), median of $reps, seconds:"
printf '  bare boot                              %6s\n' "$(printf '%s\n' "${boot[@]}" | median)"
printf '  verdict, --fill mixed (default): bad   %6s   (target: boot + 10 s)\n' "$(printf '%s\n' "${bad[@]}" | median)"
printf '  verdict, --fill pages: good (misses)   %6s\n' "$(printf '%s\n' "${pages[@]}" | median)"

kernel=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-\(.*-amd64\)$/\1/p' | head -1)
kernel=${kernel:-6.1.0-56-amd64}
"$ph" run --kernel "$kernel" --runs 1 --quiet >/dev/null 2>&1 # warm
mixed=() pagesd=() ratio=()
for i in $(seq 1 "$reps"); do
	# Paired, A then B, so a drift of the machine's speed hits both.
	t0=$(now); "$ph" run --kernel "$kernel" --runs 10 --quiet >/dev/null 2>&1; t1=$(now)
	a=$(elapsed "$t0" "$t1")
	t0=$(now); "$ph" run --kernel "$kernel" --runs 10 --fill pages --quiet >/dev/null 2>&1; t1=$(now)
	b=$(elapsed "$t0" "$t1")
	mixed+=("$a") pagesd+=("$b") ratio+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')")
done
echo "Debian $kernel, good verdict (--runs 10), median of $reps paired runs, seconds:"
printf '  --fill mixed (default)   %6s\n' "$(printf '%s\n' "${mixed[@]}" | median)"
printf '  --fill pages             %6s\n' "$(printf '%s\n' "${pagesd[@]}" | median)"
printf '  ratio mixed / pages      %6s\n' "$(printf '%s\n' "${ratio[@]}" | median)"
