#!/usr/bin/env bash
# The kmod VM tests' checks can still fail: check/hold_close.sh runs on a
# real console of kmod_hold_close (tests/kmod/data/hold_close.log, Debian
# 6.1.0-56, captured from a passing run) and on doctored copies of it; the
# real one must pass, each doctored one must fail with its own message, and
# a module marker cut by a kernel message must still read as loaded (the
# checks go through `pipehang parse --json`, so the marker rejoin of
# guest/markers.cpp applies to them). Host only, no VM: a few seconds.
# Usage: check_selftest.sh PIPEHANG_BINARY
set -euo pipefail
ph=${1:?usage: check_selftest.sh PIPEHANG_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../kmod/check/hold_close.sh
real=$here/../kmod/data/hold_close.log
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# expect NAME pass|FAIL-MESSAGE: runs the check on $work/NAME.log.
expect() {
	local name=$1 want=$2 rc=0
	PIPEHANG=$ph bash "$check" "$work/$name.log" 0 >"$work/$name.out" 2>&1 || rc=$?
	if [ "$want" = pass ]; then
		if [ $rc = 0 ]; then
			echo "ok   $name: passes"
		else
			echo "FAIL $name: the check failed (status $rc), want pass:"
			tail -n 5 "$work/$name.out"
			failed=1
		fi
	elif [ $rc != 0 ] && grep -qF "FAIL: $want" "$work/$name.out"; then
		echo "ok   $name: fails with '$want'"
	else
		echo "FAIL $name: status $rc, want a failure with 'FAIL: $want'; got:"
		tail -n 5 "$work/$name.out"
		failed=1
	fi
}

cp "$real" "$work/real.log"
expect real pass
# Record 1 (close() waiting in pipe_release) removed.
grep -v 'pipewatch: \(event=pipe_wait \)\{0,1\}id=1\( \|$\)' "$real" >"$work/no-record.log"
expect no-record "no pipe_wait record with waiter=repro-pipe-benc/155"
# Its end line removed.
grep -v 'pipewatch: id=1 end$' "$real" >"$work/no-end.log"
expect no-end "record 1 has no end line"
# Its waiter stack without pipe_release.
grep -v 'pipewatch: id=1  pipe_release+' "$real" >"$work/no-frame.log"
expect no-frame "waiter stack lacks pipe_release"
# A second record for the same wait episode.
sed -n '/pipewatch: event=pipe_wait id=1 /{s/id=1 /id=9 /;p}' "$real" >"$work/extra"
sed '/pipewatch: id=1 end$/r '"$work/extra" "$real" >"$work/two-records.log"
expect two-records "2 records for one wait episode, want 1"
# A kernel WARNING in the middle.
awk 'NR == 400 {
	print "[    9.100000] WARNING: CPU: 1 PID: 160 at fs/pipe.c:123 pipe_write+0x47/0x6e0"
	print "[    9.100002] RIP: 0010:pipe_write+0x47/0x6e0"
	print "[    9.100003] Call Trace:"
	print "[    9.100004]  <TASK>"
	print "[    9.100005]  vfs_write+0x352/0x3f0"
	print "[    9.100006]  ksys_write+0xb7/0xf0"
	print "[    9.100007]  </TASK>"
	print "[    9.100008] ---[ end trace 0000000000000000 ]---"
} { print }' "$real" >"$work/warning.log"
expect warning "kernel errors in the log"
# The module marker damaged beyond repair: not loaded.
sed 's/^PIPEHANG: module {"loaded":true,/PIPEHANG: module {"loaded":tru,/' "$real" >"$work/bad-marker.log"
expect bad-marker "pipewatch.ko was not loaded"
# The module marker cut by a kernel message, its rest on the next line
# (the shape a replay-kernel boot printed): rejoined, still loaded.
sed 's/^PIPEHANG: module {"loa/&[    1.280841] input: ImExPS\/2 Generic Explorer Mouse as \/devices\/platform\/i8042\/serio1\/input\/input3\n/' \
	"$real" >"$work/cut-marker.log"
grep -q '^ded":true' "$work/cut-marker.log" || { echo "FAIL: the cut marker was not made"; exit 1; }
expect cut-marker pass
exit $failed
