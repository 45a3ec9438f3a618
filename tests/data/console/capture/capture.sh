#!/usr/bin/env bash
# Re-captures the corpus's real-*.log files: boots Debian kernels under QEMU
# TCG with a tiny busybox initramfs and makes each kernel print one report.
# Writes NAME.log files into OUT_DIR (default: a fresh temp dir) and prints
# `pipehang parse` titles for review; it never touches the corpus itself.
#
# Usage: capture.sh [OUT_DIR] [CASE...]
#   cases: noroot clean sysrq (both kernels); warn bug null paging gpf divide
#          ud2 panic refcount list usercopy stackprot atomic_sched hung
#          softlockup stall stall_remote warn-panic null-panic (6.1 only: the
#          test module is built against that kernel's headers, found or
#          fetched with `pipehang kbuild-dir`)
# Kernels: the newest Debian 6.1 and 6.12 (scripts/kernel/newest-debian.sh).
# Env: PIPEHANG (pipehang binary: headers, and the title review), PIPEHANG_CACHE.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$(mktemp -d)}
shift || true
cases=("$@")
[ ${#cases[@]} -eq 0 ] && cases=(noroot clean sysrq warn bug null paging gpf divide ud2 panic refcount
	list usercopy stackprot atomic_sched hung softlockup stall stall_remote warn-panic null-panic)
cache=${PIPEHANG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipehang}/classifier-capture
mkdir -p "$out" "$cache"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

newest=$here/../../../../scripts/kernel/newest-debian.sh
declare -A KVER=([6.1]=$("$newest" 6.1) [6.12]=$("$newest" 6.12))
kernel() { # unpacks linux-image-$1 into the cache (never installed on the host)
	local v=$1 dir="$cache/linux-image-$1"
	if [ ! -f "$dir/boot/vmlinuz-$v" ]; then
		(cd "$work" && timeout 600 apt-get -o APT::Sandbox::User=root download "linux-image-$v" >/dev/null)
		dpkg-deb -x "$work"/linux-image-"$v"_*.deb "$dir"
	fi
	echo "$dir/boot/vmlinuz-$v"
}

# The initramfs: static busybox, guest-init.sh as /init, the test module.
mkdir -p "$work/initrd"/{bin,proc,sys,dev,mods}
cp /bin/busybox "$work/initrd/bin/"
for a in sh mount echo cat insmod poweroff sleep grep sed tr; do ln -sf busybox "$work/initrd/bin/$a"; done
install -m 755 "$here/guest-init.sh" "$work/initrd/init"
cp -r "$here/../modules/clstest" "$work/mod"
if [ -n "${PIPEHANG:-}" ]; then
	kdir=$("$PIPEHANG" kbuild-dir --kernel "${KVER[6.1]}")
else
	kdir=/usr/src/linux-headers-${KVER[6.1]}
fi
[ -d "$kdir" ] || { echo "capture: no headers for ${KVER[6.1]} (set PIPEHANG to fetch them)" >&2; exit 1; }
make -s -C "$kdir" M="$work/mod" modules >/dev/null 2>&1
cp "$work/mod/clstest.ko" "$work/initrd/mods/"
(cd "$work/initrd" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initrd.cpio.gz")

boot() { # boot KERNEL INITRD|- LOG APPEND: 90 s watchdog, -no-reboot so panic=1 ends QEMU
	local args=(-accel tcg -cpu max -m 512 -smp 2 -display none -no-reboot -monitor none
		-serial "file:$3" -kernel "$1" -append "console=ttyS0 panic=1 $4")
	[ "$2" != - ] && args+=(-initrd "$2")
	timeout --kill-after=5 90 qemu-system-x86_64 "${args[@]}" </dev/null >/dev/null 2>&1 || true
}

for c in "${cases[@]}"; do
	kernels=(6.1)
	case $c in noroot|clean|sysrq) kernels=(6.1 6.12) ;; esac
	for k in "${kernels[@]}"; do
		K=$(kernel "${KVER[$k]}")
		log="$out/real-$k-$c.log"
		case $c in
		noroot) boot "$K" - "$log" "" ;;      # no initramfs, no root= -> VFS panic
		clean|sysrq) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=$c" ;;
		hung) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:hung seconds=8 sysctl.kernel.hung_task_timeout_secs=2" ;;
		softlockup) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:softlockup watchdog_thresh=1" ;;
		stall) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:stall rcupdate.rcu_cpu_stall_timeout=3" ;;
		stall_remote) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:stall_remote seconds=12 rcupdate.rcu_cpu_stall_timeout=3" ;;
		warn-panic) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:warn panic_on_warn=1" ;;
		null-panic) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:null oops=panic" ;;
		*) boot "$K" "$work/initrd.cpio.gz" "$log" "cls=mod:$c" ;;
		esac
		printf '%-34s %s\n' "$(basename "$log")" \
			"$( [ -n "${PIPEHANG:-}" ] && "$PIPEHANG" parse "$log" | paste -sd '|' || echo '(set PIPEHANG to see titles)')"
	done
done
echo "capture: logs in $out"
