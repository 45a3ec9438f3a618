# Guest script for real-6.1-pipehang-hold.log, run as:
#   pipehang vm --script pipehang-hold.sh --console real-6.1-pipehang-hold.log
# pipewatch's debugfs hold knob keeps a pipe mutex; close() (pipe_release)
# and then a FIFO writer (pipe_write) block behind it.
echo 1000 >/sys/kernel/debug/pipewatch/wait_threshold_ms || exit 3
/bin/repro-pipe-bench hold-close --hold-ms 5000 --settle-ms 300
D=/sys/kernel/debug/pipewatch
mkfifo /tmp/f2 && exec 5<>/tmp/f2 || exit 3
echo "5 2500" >$D/hold || exit 3
sleep 0.3
echo hello >&5 &
wp=$!
wait $wp
exit 0
