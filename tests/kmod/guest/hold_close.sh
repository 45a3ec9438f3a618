# Positive control: pipewatch holds a pipe's mutex (debugfs `hold`) while
# repro-pipe-bench closes the write end; close() must block in
# pipe_release() and pipewatch must name waiter, function and holder.
echo 1000 >/sys/kernel/debug/pipewatch/wait_threshold_ms || exit 3
/bin/repro-pipe-bench hold-close --hold-ms 3000 --settle-ms 300
rc=$?
# The other pipe paths: a writer and a reader wait for the held mutex in
# pipe_write() and pipe_read().
D=/sys/kernel/debug/pipewatch
mkfifo /tmp/f2 && exec 5<>/tmp/f2 || exit 3
echo "5 2500" >$D/hold || exit 3
sleep 0.3
echo hello >&5 &
wp=$!
head -c 1 <&5 >/dev/null &
hp=$!
echo "PWTEST writer_pid $wp reader_pid $hp"
wait $wp $hp
# A holder that keeps running (spins) while holding: its stack must come
# from the IPI path, without the interrupt-entry frames.
mkfifo /tmp/f3 && exec 6<>/tmp/f3 || exit 3
echo "6 2500 spin" >$D/hold || exit 3
sleep 0.3
echo hi >&6 &
sp=$!
echo "PWTEST spin_writer_pid $sp"
wait $sp
echo "PWTEST stats-begin"
cat /sys/kernel/debug/pipewatch/stats
echo "PWTEST stats-end"
exit $rc
