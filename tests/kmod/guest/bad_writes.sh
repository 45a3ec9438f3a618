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
try ok hold '3 200\n'
try ok hold '3 200 spin\n'
sleep 1
echo "PWTEST wait_threshold_ms $(cat $D/wait_threshold_ms)"
