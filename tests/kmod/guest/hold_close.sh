# Positive control: pipewatch holds a pipe's mutex (debugfs `hold`) while
# repro-pipe-bench closes the write end; close() must block in
# pipe_release() and pipewatch must name waiter, function and holder.
echo 1000 >/sys/kernel/debug/pipewatch/wait_threshold_ms || exit 3
/bin/repro-pipe-bench hold-close --hold-ms 3000 --settle-ms 300
rc=$?
echo "PWTEST stats-begin"
cat /sys/kernel/debug/pipewatch/stats
echo "PWTEST stats-end"
exit $rc
