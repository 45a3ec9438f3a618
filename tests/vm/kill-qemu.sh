#!/usr/bin/env bash
# Fault: QEMU dies mid-run (SIGKILL from outside). pipehang must call it a
# harness error (128), not a kernel verdict, and leave nothing behind.
#   kill-qemu.sh PIPEHANG   (run under expect.sh, which sets TMPDIR)
set -uo pipefail
pipehang=$1
script=$TMPDIR/sleep.sh
console=$TMPDIR/console.log
echo 'sleep 120' >"$script"
"$pipehang" vm --script "$script" --console "$console" --timeout 400 &
pid=$!
for _ in $(seq 1 600); do
	grep -q 'PIPEHANG: module' "$console" 2>/dev/null && break
	sleep 0.5
done
qemu=$(pgrep -f -- "qemu-system-x86_64.*$TMPDIR/" | head -1)
echo "kill-qemu.sh: guest booted; killing QEMU pid ${qemu:-none} with SIGKILL"
[ -n "$qemu" ] && kill -9 "$qemu"
wait $pid
rc=$?
rm -f "$script" "$console"
exit $rc
