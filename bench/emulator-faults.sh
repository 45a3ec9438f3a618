#!/usr/bin/env bash
# How often the emulator breaks a boot: N boots of one kernel with the
# standard guest (`pipehang vm`, a script that only says it ran), counting
# the boots whose console shows the multi-threaded TCG text-patching fault
# (a kernel-mode `int3` die report: docs/harness.md, "Emulator faults"),
# the boots that failed for any other reason, and the seconds per boot.
# Prints figures; passes or fails nothing.
#
# Usage: bench/emulator-faults.sh [BUILD] [N] [KERNEL] [ACCEL...]
#   BUILD   where pipehang was built (default build)
#   N       boots per accelerator (default 50)
#   KERNEL  a --kernel spec (default: the newest Debian 6.12 rt kernel)
#   ACCEL   accelerators to compare (default: tcg tcg-single)
# Every console with a fault or another failure is kept in
# $PIPEHANG_CACHE/emulator-faults/.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
n=${2:-50}
kernel=${3:-}
shift $(($# < 3 ? $# : 3))
accels=("$@")
[ ${#accels[@]} -gt 0 ] || accels=(tcg tcg-single)
source "$root/scripts/kernel/env.sh"
ph=$(cd "$build" && pwd)/bin/pipehang
[ -x "$ph" ] || { echo "emulator-faults: $ph not built" >&2; exit 2; }
[[ $n =~ ^[1-9][0-9]*$ ]] || { echo "emulator-faults: N '$n' is not a positive number" >&2; exit 2; }
[ -n "$kernel" ] || kernel=$("$root/scripts/kernel/newest-debian.sh" 6.12 rt) || exit 1
keep=$PIPEHANG_CACHE/emulator-faults
mkdir -p "$keep"
work=$(mktemp -d /tmp/pipehang-emufault.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf 'echo emulator-faults: script ran\n' >"$work/script.sh"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# Warm the image and module caches outside the counts.
"$ph" vm --kernel "$kernel" --script "$work/script.sh" --quiet >/dev/null 2>&1

echo "emulator-faults: $kernel, $n boots per accelerator"
for accel in "${accels[@]}"; do
	faults=0 other=0 ok=0
	: >"$work/secs"
	for i in $(seq 1 "$n"); do
		con=$work/console.log
		t0=$(date +%s.%N)
		"$ph" vm --kernel "$kernel" --accel "$accel" --script "$work/script.sh" --timeout 300 \
			--console "$con" --quiet >/dev/null 2>&1
		rc=$?
		awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN {printf "%.1f\n", a - b}' >>"$work/secs"
		if grep -aqE '(^|[] ])int3: [0-9a-f]{4} \[#[0-9]+\]' "$con"; then
			faults=$((faults + 1))
			cp "$con" "$keep/$(date +%Y%m%d-%H%M%S)-$accel-$i.log"
			echo "  boot $i ($accel): int3 fault: $(grep -aom1 'RIP: 0010:[^ ]*' "$con")"
		elif [ $rc -eq 0 ] && grep -aq 'emulator-faults: script ran' "$con"; then
			ok=$((ok + 1))
		else
			other=$((other + 1))
			cp "$con" "$keep/$(date +%Y%m%d-%H%M%S)-$accel-$i-other.log"
			echo "  boot $i ($accel): exit $rc without the fault signature: $(grep -aE 'Kernel panic|BUG:|Oops|watchdog' "$con" | head -n 1)"
		fi
	done
	printf 'emulator-faults: %-10s boots %d  int3 faults %d  other failures %d  ok %d  s/boot median %s max %s\n' \
		"$accel" "$n" "$faults" "$other" "$ok" "$(median <"$work/secs")" "$(sort -n "$work/secs" | tail -1)"
done
