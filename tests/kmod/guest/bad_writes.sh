# Bad debugfs writes must fail with an error and change nothing. Each
# case prints one PWCASE line; the host checks them (check/bad_writes.sh).
D=/sys/kernel/debug/pipewatch
mkfifo /tmp/fifo || exit 3
exec 3<>/tmp/fifo	# fd 3: a pipe, for the hold cases
# Hung-task scan off, so no record can change the stats during a case.
echo 0 >$D/hung_threshold_ms || exit 3

# state: everything a write could change: knobs, holds, event counters.
# (Not the wait histogram: the shell's own pipes can wait >= 100 ms on a
# loaded TCG host and be counted there, whatever we write.)
state() {
	{
		cat $D/wait_threshold_ms $D/hung_threshold_ms $D/hold
		grep -E '^(events|pipe_wait_events|hung_task_events|longest_hold_ms) ' $D/stats
	} | md5sum | cut -d' ' -f1
}
# try WANT FILE INPUT: WANT is ok or err.
try() {
	before=$(state "$2")
	echo -ne "$3" >"$D/$2" 2>/tmp/err
	rc=$?
	after=$(state "$2")
	same=no
	[ "$before" = "$after" ] && same=yes
	echo "PWCASE want=$1 file=$2 rc=$rc same=$same input='$3' err='$(cat /tmp/err)'"
}

# Non-zero event counters first, so that a bad `reset` that wrongly
# zeroed them would show as a state change: a writer waits 1.5 s behind a
# hold, past the 1000 ms threshold, which makes one pipe_wait record.
echo 1000 >$D/wait_threshold_ms || exit 3
echo "3 1500" >$D/hold || exit 3
sleep 0.2
echo x >&3
head -c 2 <&3 >/dev/null
sleep 0.5
echo "PWTEST before_cases $(grep -E '^(events|pipe_wait_events) ' $D/stats | tr '\n' ' ')"

try err wait_threshold_ms 'abc\n'
try err wait_threshold_ms '5\n'
try err wait_threshold_ms '600001\n'
try err wait_threshold_ms '-1\n'
try err wait_threshold_ms '\n'
try err wait_threshold_ms '1000 2000\n'
try err wait_threshold_ms '99999999999999999999\n'
try err wait_threshold_ms '0\n'
try err wait_threshold_ms '0x10\n'
try err hung_threshold_ms '50\n'
try err hung_threshold_ms '3600001\n'
try err hung_threshold_ms 'x\n'
try err reset '2\n'
try err reset 'yes\n'
try err hold '0 100\n'
try err hold '99 100\n'
try err hold '3 0\n'
try err hold '3 60001\n'
try err hold '3\n'
try err hold 'abc def\n'
try err hold '3 100 7\n'
try err hold '-1 100\n'
try err hold '3 abc\n'
try err hold '3 99999999999999999999\n'
try err hold '3 100 spinx\n'
# Positive controls: the same files do accept good writes, so a check
# that "nothing changed" can fail.
try ok wait_threshold_ms '1500\n'
try ok hung_threshold_ms '5000\n'
# 2 s holds: the `after` state must be read while the hold still runs, and
# on the debug kernel (KASAN + lockdep under TCG) that read alone can take
# longer than 200 ms.
try ok hold '3 2000\n'
try ok hold '3 2000 spin\n'
sleep 5
echo "PWTEST wait_threshold_ms $(cat $D/wait_threshold_ms)"

# Root only: an unprivileged user can neither read nor write any file.
# debugfs's own mount point (0700) is opened up for the test, so what is
# tested is the files' modes; `id -u` under su shows su really drops to
# uid 65534, and /proc/version that such a user can read at all.
mkdir -p /etc
grep -q '^nobody:' /etc/passwd 2>/dev/null || echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
mode=$(stat -c %a /sys/kernel/debug)
chmod 755 /sys/kernel/debug
echo "PWROOT_ID $(su -s /bin/sh nobody -c 'id -u; cat /proc/version >/dev/null && echo readable' | tr '\n' ' ')"
for f in stats wait_threshold_ms hung_threshold_ms hold reset; do
	before=$(state)
	su -s /bin/sh nobody -c "echo 5000 >$D/$f" 2>/tmp/err
	wrc=$?
	su -s /bin/sh nobody -c "cat $D/$f" >/dev/null 2>/tmp/err2
	rrc=$?
	same=no
	[ "$before" = "$(state)" ] && same=yes
	echo "PWROOT file=$f write_rc=$wrc read_rc=$rrc same=$same err='$(cat /tmp/err)'"
done
chmod "$mode" /sys/kernel/debug
