#!/usr/bin/env bash
# Stops the LAVA lab that scripts/lab/up.sh started in STATE_DIR, by the
# pids it recorded: each daemon with its process group and every
# descendant (gunicorn's workers, lava-worker's lava-run and QEMU), TERM
# first, then KILL after a bounded wait; PostgreSQL last (the others talk
# to it while they stop) with pg_ctl stop -m fast. Logs and data stay.
# Usage: scripts/lab/down.sh STATE_DIR
# Exit 0 when no process of the lab is left (also when none ran), 1 when
# one survived KILL (named on stderr), 2 usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lab/lib.sh
source "$here/lib.sh"

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 STATE_DIR" >&2
  exit 2
fi
[ -d "$1/pids" ] || { lab_log "no lab in $1 (no pids/); nothing to stop"; exit 0; }
state=$(cd "$1" && pwd)
TERM_WAIT=${LAB_TERM_WAIT:-15}
t0=$(date +%s.%N)

# Every live process of a daemon, as "PID STARTTIME": its group (setsid
# made the daemon a group leader) and its descendants, which may have left
# the group (a new session for lava-run, say).
members() {
  local pid=$1 p
  {
    echo "$pid"
    pgrep -g "$pid" 2>/dev/null || true
    descendants "$pid"
  } | sort -un | while read -r p; do
    s=$(proc_starttime "$p")
    [ -n "$s" ] && echo "$p $s"
  done
}

# still ALIVE_LIST_FILE: prints those of the listed processes that still run.
still() {
  local p s
  while read -r p s; do
    [ "$(proc_starttime "$p")" = "$s" ] && echo "$p"
  done <"$1"
  return 0
}

# signal_all SIG LIST_FILE: signals the listed processes that still run.
signal_all() {
  local p
  for p in $(still "$2"); do kill "-$1" "$p" 2>/dev/null || true; done
}

# wait_gone LIST_FILE SECONDS: true when all are gone in time.
wait_gone() {
  local deadline=$(($(date +%s) + $2))
  while [ -n "$(still "$1")" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

# stop NAME: TERM the daemon's processes, then KILL what is left.
stop() {
  local name=$1 pid list
  pid=$(recorded_alive "$state" "$name") || { rm -f "$state/pids/$name"; return 0; }
  list=$(mktemp)
  members "$pid" >"$list"
  lab_log "stopping $name (pid $pid, $(wc -l <"$list") processes)"
  signal_all TERM "$list"
  if ! wait_gone "$list" "$TERM_WAIT"; then
    lab_log "$name: still running after ${TERM_WAIT} s: KILL $(still "$list" | tr '\n' ' ')"
    # Children forked after the first look are caught here too.
    members "$pid" >>"$list"
    signal_all KILL "$list"
    wait_gone "$list" 5 || true
  fi
  if [ -n "$(still "$list")" ]; then
    lab_log "ERROR: $name: processes survived KILL: $(still "$list" | tr '\n' ' ')"
    left+=("$name")
  else
    rm -f "$state/pids/$name"
  fi
  rm -f "$list"
}

left=()
# The worker first: its running jobs (lava-run, QEMU) go with it.
for name in worker scheduler publisher gunicorn http; do stop "$name"; done

if pid=$(recorded_alive "$state" postgres); then
  lab_log "stopping postgres (pid $pid, pg_ctl stop -m fast)"
  runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$state/pg/data" -m fast \
    -t "$TERM_WAIT" stop >>"$state/logs/postgresql.log" 2>&1 || true
  # A postmaster that did not stop in time goes like the other daemons.
  stop postgres
fi

printf 'down %6.1f s\n' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" |
  tee -a "$state/timings" | sed 's/^/lab: phase /' >&2
if [ ${#left[@]} -gt 0 ]; then
  lab_log "ERROR: not stopped: ${left[*]}"
  exit 1
fi
lab_log "stopped; nothing of the lab in $state runs"
