#!/usr/bin/env bash
# Fault: the user presses Ctrl-C while the VM runs. pipehang must kill
# QEMU, remove its temp files and exit 130.
#   interrupt.sh PIPEHANG   (run under expect.sh, which sets TMPDIR)
set -uo pipefail
pipehang=$1
script=$TMPDIR/sleep.sh
console=$TMPDIR/console.log
echo 'sleep 120' >"$script"
"$pipehang" vm --script "$script" --console "$console" --timeout 400 &
pid=$!
for _ in $(seq 1 600); do
	grep -q 'PIPEHANG: boot' "$console" 2>/dev/null && break
	sleep 0.5
done
echo "interrupt.sh: guest booted; sending SIGINT to pipehang ($pid)"
kill -INT $pid
wait $pid
rc=$?
rm -f "$script" "$console"
exit $rc
