# A task in D state that waits for no pipe: an O_DIRECT write of 1 MiB to
# the test disk, throttled to 64 KiB/s (guest/hung_task.vmargs), sleeps
# uninterruptibly in the direct-I/O path for ~15 s. pipewatch's scanner
# must report it as event=hung_task once, without a holder or a pipe.
# The kernel's own detector is set to 120 s so it stays quiet.
D=/sys/kernel/debug/pipewatch
echo 1500 >$D/hung_threshold_ms || exit 3
echo "pwtest: dd start" >/dev/kmsg
dd if=/dev/zero of=/mnt/ext4/slow bs=1M count=1 oflag=direct 2>/tmp/dd.err &
pid=$!
echo "PWTEST dd_pid $pid"
wait $pid
rc=$?
echo "PWTEST dd_rc $rc $(cat /tmp/dd.err | tr '\n' ' ')"
echo "pwtest: dd end" >/dev/kmsg
cat $D/stats
exit $rc
