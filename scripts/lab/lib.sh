# shellcheck shell=bash
# Shared by scripts/lab/up.sh and down.sh (sourced, not run).
#
# Every daemon of the lab is recorded as STATE_DIR/pids/NAME holding
# "PID STARTTIME": the start time (field 22 of /proc/PID/stat, in clock
# ticks since boot) tells a live lab process from an unrelated process that
# got the same pid after a reboot or a long time, so down.sh never signals a
# stranger.

# The lab runs Debian's python3 and tools: the lava packages are built for
# /usr/bin/python3, and a pyenv or venv python3 earlier on PATH would lack
# their modules (http.server is started with it too).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

lab_log() { echo "lab: $*" >&2; }

# proc_starttime PID: the start time of PID, empty when PID is gone. A
# zombie counts as gone: the lab's daemons are reparented to pid 1 once
# up.sh exits, and this machine's pid 1 reaps them only now and then.
proc_starttime() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  # The command name (field 2) may contain spaces; count after its ')'.
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  [ "$1" = Z ] || echo "${20}"
}

# record_pid STATE_DIR NAME PID
record_pid() {
  echo "$3 $(proc_starttime "$3")" >"$1/pids/$2"
}

# recorded_alive STATE_DIR NAME: prints the pid when that process still runs.
recorded_alive() {
  local f=$1/pids/$2 pid start
  [ -f "$f" ] || return 1
  read -r pid start <"$f" || return 1
  [ -n "$pid" ] && [ -n "$start" ] || return 1
  [ "$(proc_starttime "$pid")" = "$start" ] || return 1
  echo "$pid"
}

# descendants PID: every live descendant of PID, children first listed
# after their parent (lava-worker -> lava-run -> qemu; gunicorn's workers).
descendants() {
  local kid
  for kid in $(pgrep -P "$1" 2>/dev/null); do
    echo "$kid"
    descendants "$kid"
  done
}

# free_port: a TCP port on 127.0.0.1 nobody listens on right now. The
# kernel picks it (bind to port 0), so two labs started at once do not
# race for the same guess.
free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
