#!/usr/bin/env bash
# Re-captures the corpus's real-*.log files: boots Debian kernels with
# `pipehang vm` (kernel fetched and unpacked into the cache, the standard
# busybox guest, QEMU under TCG, the VM watchdog) and makes each kernel
# print one report. Writes NAME.log files into OUT_DIR (default: a fresh
# temp dir) and prints `pipehang parse` titles for review; it never touches
# the corpus itself.
#
# Usage: capture.sh [OUT_DIR] [CASE...]
#   cases: noroot clean sysrq (both kernels); warn bug null paging gpf divide
#          ud2 panic refcount list usercopy stackprot atomic_sched hung
#          softlockup stall stall_remote warn-panic null-panic (6.1 only: the
#          test module is built against that kernel's headers, found or
#          fetched with `pipehang kbuild-dir`)
# Kernels: the newest Debian 6.1 and 6.12 (scripts/kernel/newest-debian.sh).
# Env: PIPEHANG (the pipehang binary; default build/bin/pipehang of this
#      tree), PIPEHANG_CACHE (pipehang's cache).
# Exit: 0 every boot ended as a capture boot may (the script ran, the guest
# died of its report, no init for noroot); 1 otherwise (the watchdog, a
# harness error of `pipehang vm`, the module did not build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$here/../../../..
. "$top/scripts/lib/exit-status.sh"
ph=${PIPEHANG:-$top/build/bin/pipehang}
[ -x "$ph" ] || { echo "capture: no pipehang binary at $ph (build it, or set PIPEHANG)" >&2; exit 1; }
out=${1:-$(mktemp -d)}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(noroot clean sysrq warn bug null paging gpf divide ud2 panic refcount
	list usercopy stackprot atomic_sched hung softlockup stall stall_remote warn-panic null-panic)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

newest=$top/scripts/kernel/newest-debian.sh
declare -A KVER=([6.1]=$("$newest" 6.1) [6.12]=$("$newest" 6.12))

# The test module, built against the 6.1 kernel's headers and carried into
# the guest inside the script (base64: `pipehang vm` copies one script in).
module=$work/clstest.ko.b64
need_module=0
for c in "${cases[@]}"; do
	case $c in noroot | clean | sysrq) ;; *) need_module=1 ;; esac
done
if [ $need_module = 1 ]; then
	kdir=$("$ph" kbuild-dir --kernel "${KVER[6.1]}")
	cp -r "$here/../modules/clstest" "$work/mod"
	make -s -C "$kdir" M="$work/mod" modules >/dev/null 2>&1 ||
		{ echo "capture: clstest.ko did not build against $kdir" >&2; exit 1; }
	strip --strip-debug "$work/mod/clstest.ko"
	base64 "$work/mod/clstest.ko" >"$module"
fi

# boot SERIES LOG [pipehang vm options]: one capture boot, console to LOG.
# The watchdog is generous: a TCG boot of the standard guest on a loaded
# 2-core machine took over 90 s (6.12).
boot() {
	local series=$1 log=$2 rc=0
	shift 2
	"$ph" vm --kernel "${KVER[$series]}" --no-module --timeout 240 --quiet --console "$log" "$@" \
		</dev/null >/dev/null 2>"$work/vm.err" || rc=$?
	case $rc in
	# the script ran; the guest died of its report; no init (noroot)
	0 | "$PH_EXIT_GUEST_DIED" | "$PH_EXIT_BOOT_FAILED") ;;
	*)
		echo "capture: pipehang vm exit status $rc for $(basename "$log"):" >&2
		cat "$work/vm.err" >&2
		return 1
		;;
	esac
}

# script MODE [MODULE ARGS]: the guest script of one case.
script() {
	local s=$work/case.sh
	{
		printf 'CLS_MODE=%s\nCLS_ARGS=%q\n' "$1" "${2:-}"
		if [ -r "$module" ]; then
			echo "base64 -d >/tmp/clstest.ko <<'END_OF_MODULE'"
			cat "$module"
			echo END_OF_MODULE
		fi
		cat "$here/guest-case.sh"
	} >"$s"
	echo "$s"
}

for c in "${cases[@]}"; do
	kernels=(6.1)
	case $c in noroot | clean | sysrq) kernels=(6.1 6.12) ;; esac
	for k in "${kernels[@]}"; do
		log="$out/real-$k-$c.log"
		case $c in
		# the initramfs has no such init and there is no root=: VFS panic
		noroot) boot "$k" "$log" --append "rdinit=/nonexistent" ;;
		clean | sysrq) boot "$k" "$log" --script "$(script "$c")" ;;
		hung) boot "$k" "$log" --script "$(script mod:hung seconds=8)" --hung-timeout 2 ;;
		softlockup) boot "$k" "$log" --script "$(script mod:softlockup)" --append "watchdog_thresh=1" ;;
		stall) boot "$k" "$log" --script "$(script mod:stall)" --append "rcupdate.rcu_cpu_stall_timeout=3" ;;
		stall_remote) boot "$k" "$log" --script "$(script mod:stall_remote seconds=12)" \
			--append "rcupdate.rcu_cpu_stall_timeout=3" ;;
		warn-panic) boot "$k" "$log" --script "$(script mod:warn)" --append "panic_on_warn=1" ;;
		null-panic) boot "$k" "$log" --script "$(script mod:null)" --append "oops=panic" ;;
		*) boot "$k" "$log" --script "$(script "mod:$c")" ;;
		esac
		printf '%-34s %s\n' "$(basename "$log")" "$("$ph" parse "$log" | paste -sd '|')"
	done
done
echo "capture: logs in $out"
