#!/bin/sh
# A reproducer for the oracle (contract 1) that proves the whole chain on
# any kernel without a slow disk: pipewatch's `hold` knob makes a kernel
# thread take a FIFO's pipe->mutex for 8 s, then we close our own write
# end, so close() -> pipe_release() blocks on that mutex exactly like the
# bug. Expected verdict: bad, "INFO: task hung in pipe_release".
# The oracle passes --dir DIR and reproducer flags; only --dir matters.
dir=/tmp
while [ $# -gt 0 ]; do
	[ "$1" = --dir ] && dir=$2
	shift
done
knob=/sys/kernel/debug/pipewatch/hold
fifo=$dir/hold.fifo
mkfifo "$fifo" || exit 1
exec 3<>"$fifo" # read+write: opening the write end below cannot block
exec 4>"$fifo"  # the end we close; its release is the final fput
if ! echo "3 8000" >"$knob" 2>/dev/null; then
	echo '{"tool":"hold-repro","iteration":1,"entry":"openat","fallback":false,"exercised":false,"splice_ms":-1,"close_ms":-1,"failed_step":"hold","errno":0,"error":"","reason":"NO_HOLD_KNOB: cannot write '"$knob"'"}'
	exit 4
fi
t0=$(cut -d' ' -f1 /proc/uptime)
exec 4>&-
t1=$(cut -d' ' -f1 /proc/uptime)
exec 3>&-
rm -f "$fifo"
ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo '{"tool":"hold-repro","iteration":1,"entry":"openat","fallback":false,"exercised":true,"splice_ms":0,"close_ms":'"$ms"'}'
exit 0
