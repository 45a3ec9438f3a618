# 100 load/unload cycles of pipewatch.ko while pipes are busy: the splice
# reproducer and a pipe benchmark run throughout, thresholds are tiny so
# the module reports (rate-limited) while it is being unloaded, and every
# tenth cycle unloads it with a `hold` in progress.
D=/sys/kernel/debug/pipewatch
rmmod pipewatch || exit 3
sleep 1
# KASAN keeps freed objects in its quarantine, where slabinfo still counts
# them as active: shrinking the cache drains its quarantine first (a no-op
# elsewhere), so the count is of live task_structs on every kernel.
slab() {
	echo 1 >/sys/kernel/slab/task_struct/shrink 2>/dev/null
	awk '$1 == "task_struct" { print $2 }' /proc/slabinfo 2>/dev/null
}
[ -r /proc/slabinfo ] || echo "PWTEST no_slabinfo"
echo "PWTEST task_struct_before $(slab)"
mkdir -p /mnt/ext4/load
/bin/repro-splice-dio --dir /mnt/ext4/load --size 1M --iterations 1000000 --time-limit 800 --fill pages >/dev/null 2>&1 &
rp=$!
/bin/repro-pipe-bench throughput --runs 1000 --mb 2 >/dev/null 2>&1 &
bp=$!
sleep 2
i=0
while [ $i -lt 100 ]; do
	insmod /pipewatch.ko wait_threshold_ms=10 hung_threshold_ms=100 ||
		{ echo "PWTEST insmod failed at cycle $i"; break; }
	if [ $((i % 10)) = 0 ]; then
		/bin/repro-pipe-bench hold-close --hold-ms 5000 --settle-ms 0 >/dev/null 2>&1 &
		sleep 0.5
	fi
	[ "$(cat /sys/module/pipewatch/refcnt)" = 0 ] ||
		{ echo "PWTEST refcnt $(cat /sys/module/pipewatch/refcnt) at cycle $i"; break; }
	rmmod pipewatch || { echo "PWTEST rmmod failed at cycle $i"; break; }
	i=$((i + 1))
done
echo "PWTEST cycles $i"
kill -9 $rp $bp 2>/dev/null
wait
sleep 2
echo "PWTEST task_struct_after $(slab)"
echo "PWTEST modules $(grep -c '^pipewatch ' /proc/modules)"
echo "PWTEST kprobes $(grep -cE '__mutex_lock_slowpath|pipe_lock|pipe_unlock|pipe_double_lock|stack_trace_save_tsk' /sys/kernel/debug/kprobes/list)"
echo "PWTEST threads $(ps | grep -c '[[]pipewatch')"
echo "PWTEST debugfs $([ -e $D ] && echo present || echo absent)"
# Still loadable and working after all that.
# Loaded without arguments: the parameters show their defaults.
insmod /pipewatch.ko && grep -q '^events ' $D/stats &&
	echo "PWTEST kprobes_loaded $(grep -cE '__mutex_lock_slowpath|pipe_lock|pipe_unlock|pipe_double_lock' /sys/kernel/debug/kprobes/list)" &&
	for p in /sys/module/pipewatch/parameters/*; do
		echo "PWTEST param ${p##*/} $(cat "$p")"
	done &&
	rmmod pipewatch && echo "PWTEST final reload ok"

# Each parameter description (modinfo's parm=) must state a range LO..HI
# and a default; the host checks that loads at LO and HI succeed, LO-1 and
# HI+1 are refused, and a special 0 ("(0=off, ...") is accepted.
try_load() {
	if insmod /pipewatch.ko "$1" 2>/dev/null; then
		rmmod pipewatch
		echo "PWTEST range $1 loaded"
	else
		echo "PWTEST range $1 refused"
	fi
}
strings /pipewatch.ko | sed -n 's/^parm=//p' >/tmp/parm_descs
while IFS= read -r d; do
	echo "PWTEST desc $d"
	name=${d%%:*}
	range=$(echo "$d" | grep -oE '[0-9]+\.\.[0-9]+' | tail -n 1)
	[ -n "$range" ] || continue
	lo=${range%..*}
	hi=${range#*..}
	try_load "$name=$lo"
	try_load "$name=$hi"
	try_load "$name=$((hi + 1))"
	[ "$lo" -gt 0 ] && try_load "$name=$((lo - 1))"
	case $d in *"(0="*) [ "$lo" -gt 1 ] && try_load "$name=0" ;; esac
done </tmp/parm_descs
