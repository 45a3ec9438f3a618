# Shared by the lab tests: the check counter and the scratch-dir check.
# shellcheck shell=bash

fails=0
# check DESCRIPTION COMMAND...: one named assertion; failures are counted.
check() { if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }

# tracked PIDFILE SECONDS COMMAND...: runs COMMAND under `timeout SECONDS`
# and appends its pid to PIDFILE (COMMAND is exec'd by the shell that
# records the pid, so that pid is the pipehang process's).
tracked() {
	local pids=$1 secs=$2
	shift 2
	timeout "$secs" bash -c 'echo $$ >>"$0"; exec "$@"' "$pids" "$@"
}

# scratch_left PIDFILE: the lava-run scratch dirs the processes in PIDFILE
# left behind. lava-run's job id is pipehang-PID-N (lab/lava_run.cpp); the
# tests run side by side, so another test's dirs in flight are not ours.
scratch_left() {
	local pid
	[ -s "$1" ] || return 0
	while read -r pid; do
		ls -d "/var/lib/lava/dispatcher/tmp/pipehang-$pid-"* 2>/dev/null
	done <"$1"
	return 0
}
