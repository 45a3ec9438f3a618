# Guest script (pipehang vm --script): flips hot static keys in a tight
# loop for 90 s while both vCPUs run scheduler paths -- sched_features
# (each feature is a static key with CONFIG_SCHED_DEBUG) and
# kernel.sched_schedstats. Every flip rewrites kernel text through
# text_poke_bp()'s int3 protocol; under QEMU's multi-threaded TCG a vCPU can
# run a stale translation of a site after it was rewritten and die of an
# int3 that is no longer in memory (docs/harness.md, "Emulator faults").
# The kernel itself survives this loop: exit 0 when the loop ends.
F=/sys/kernel/debug/sched/features
[ -w $F ] || F=/sys/kernel/debug/sched_features
S=/proc/sys/kernel/sched_schedstats
[ -w $F ] || { echo "static-key-flips: no sched features file"; exit 3; }
[ -w $S ] || { echo "static-key-flips: no $S"; exit 3; }
secs=90
# Load on both CPUs: a spinner, and a fork loop (wakeups, context switches).
( while :; do :; done ) &
spin=$!
( while :; do /bin/busybox true; done ) &
fork=$!
end=$(($(cut -d. -f1 /proc/uptime) + secs))
n=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	i=0
	while [ $i -lt 20 ]; do
		echo NO_TTWU_QUEUE >$F
		echo TTWU_QUEUE >$F
		echo NO_WAKEUP_PREEMPTION >$F 2>/dev/null
		echo WAKEUP_PREEMPTION >$F 2>/dev/null
		echo 1 >$S
		echo 0 >$S
		i=$((i + 1))
	done
	n=$((n + 20))
done
kill $spin $fork
echo "static-key-flips: $n rounds in ${secs} s, the kernel survived"
exit 0
