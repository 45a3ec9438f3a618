#!/usr/bin/env bash
# VM test: builds the test module (tests/data/console/modules/clstest)
# against the installed 6.1 headers, boots real Debian kernels under QEMU
# with capture.sh, and checks that `pipehang parse` titles what they print.
# Exit 77 (CTest skip) when QEMU or the kernel headers are missing.
# Usage: vm_capture_test.sh PIPEHANG_BINARY
set -uo pipefail
ph=$1
here=$(cd "$(dirname "$0")" && pwd)
capture="$here/../data/console/capture/capture.sh"
command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: qemu-system-x86_64 not installed"; exit 77; }
[ -d /usr/src/linux-headers-6.1.0-56-amd64 ] || { echo "SKIP: linux-headers-6.1.0-56-amd64 not installed"; exit 77; }
[ -x "$ph" ] || { echo "FAIL: $ph not built"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

PIPEHANG="$ph" "$capture" "$out" warn null sysrq || { echo "FAIL: capture.sh failed"; exit 1; }

fail=0
expect() { # expect LOG FIRST_TITLE
	local got
	got=$("$ph" parse "$out/$1" | head -1)
	if [ "$got" = "$2" ]; then
		echo "ok   $1: $got"
	else
		echo "FAIL $1: got '$got', want '$2'"
		sed -n '/cut here\|BUG:\|Kernel panic/,+12p' "$out/$1" | head -40
		fail=1
	fi
}
expect real-6.1-warn.log "WARNING in clstest_warn"
expect real-6.1-null.log "BUG: unable to handle kernel NULL pointer dereference in clstest_null"
expect real-6.1-sysrq.log "kernel panic: sysrq triggered crash"
expect real-6.12-sysrq.log "kernel panic: sysrq triggered crash"
exit $fail
