#!/usr/bin/env bash
# VM test: builds the test module (tests/data/console/modules/clstest)
# against the installed 6.1 headers, boots real Debian kernels under QEMU
# with capture.sh, and checks that `pipehang parse` titles what they print.
# QEMU and the headers are the project's own dependencies (make deps-vm;
# the headers are fetched as the harness does): their absence is a
# failure, never a skip that would hide the test on a fresh machine.
# Usage: vm_capture_test.sh PIPEHANG_BINARY
set -uo pipefail
ph=$1
here=$(cd "$(dirname "$0")" && pwd)
capture="$here/../data/console/capture/capture.sh"
command -v qemu-system-x86_64 >/dev/null || { echo "FAIL: qemu-system-x86_64 not installed (make deps-vm)"; exit 1; }
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
