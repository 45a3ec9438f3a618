# Guest script for the `pipehang vm` test: the standard guest is complete.
set -e
mount | grep -q '/dev/vda on /mnt/ext4 type ext4'
test "$(pwd)" = /mnt/ext4
lsmod | grep -q '^ext4'
test -x /bin/repro-splice-dio
test "$(cat /proc/sys/kernel/hung_task_timeout_secs)" = 3
test -d /sys/kernel/debug/pipewatch
repro-splice-dio --dir /mnt/ext4 --entry openat2 >/tmp/out
grep -q '"exercised":true' /tmp/out
echo "script-checks: all good"
exit 7
