#!/usr/bin/env bash
# The local LAVA lab (scripts/lab/up.sh, down.sh), for real: up.sh into a
# temporary directory, then through the lab's own REST API (v0.2):
#  - GET /api/v0.2/devices/ with the lab's token lists qemu-01 and qemu-02,
#    Idle, health Good, on the lab's worker, which is Online;
#  - a wrong token is refused (401/403), and so is a job submission
#    without one;
#  - every listening socket of a lab process (daemons, their children) is
#    on 127.0.0.1, and the lab's ports are held by lab processes only;
# then down.sh, after which none of the lab's processes is left. A trap
# runs down.sh whatever way the test ends.
# Exit: 0 pass, 1 fail, 77 skip (not root, or the lab's packages missing:
# scripts/install-deps.sh lab).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../../scripts/lab
# shellcheck source=scripts/lab/lib.sh
source "$lab/lib.sh"

[ "$(id -u)" -eq 0 ] || { echo "SKIP: the lab needs root"; exit 77; }
for tool in lava-server lava-worker /usr/lib/postgresql/15/bin/initdb curl jq ss; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (scripts/install-deps.sh lab)"; exit 77; }
done

work=$(mktemp -d /tmp/pipehang-lab-test.XXXXXX)
cleanup() {
  "$lab/down.sh" "$work" || echo "FAIL: down.sh in the exit trap"
  rm -rf "$work"
}
trap cleanup EXIT
fails=0
check() { # check DESCRIPTION COMMAND...
  if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

if ! "$lab/up.sh" "$work"; then
  echo "FAIL: up.sh"
  exit 1
fi
# shellcheck source=/dev/null
source "$work/lab.env"
token=$(cat "$LAB_TOKEN_FILE")

# --- the API, with the right and a wrong token ---
api_get() { curl -sS --max-time 10 -H "Authorization: Token $1" "${LAB_URL}api/v0.2/$2"; }
http_code() { curl -sS --max-time 10 -o /dev/null -w '%{http_code}' "$@"; }
devices=$(api_get "$token" "devices/?limit=100")
device_ok() { # device_ok NAME
  jq -e --arg n "$1" --arg w "$LAB_WORKER" '.results[] | select(.hostname == $n)
    | select(.state == "Idle" and .health == "Good" and .worker_host == $w and .device_type == "qemu")' \
    <<<"$devices" >/dev/null
}
check "qemu-01 listed Idle, health Good, device type qemu, on $LAB_WORKER" device_ok qemu-01
check "qemu-02 listed Idle, health Good, device type qemu, on $LAB_WORKER" device_ok qemu-02
worker_state=$(api_get "$token" "workers/$LAB_WORKER/" | jq -r '.state + "/" + .health')
check "worker $LAB_WORKER Online/Active (is $worker_state)" test "$worker_state" = Online/Active
wrong=$(http_code -H "Authorization: Token not-$token" "${LAB_URL}api/v0.2/devices/")
check "a wrong token is refused (HTTP $wrong)" test "$wrong" = 401 -o "$wrong" = 403
anon_post=$(http_code -X POST -H 'Content-Type: application/json' -d '{"definition": "x"}' "${LAB_URL}api/v0.2/jobs/")
check "a job submission without a token is refused (HTTP $anon_post)" test "$anon_post" = 401 -o "$anon_post" = 403

# --- the lab's processes, and where they listen ---
lab_procs=$work/procs
for f in "$work"/pids/*; do
  read -r pid _ <"$f"
  for p in "$pid" $(pgrep -g "$pid" || true) $(descendants "$pid"); do
    s=$(proc_starttime "$p")
    [ -n "$s" ] && echo "$p $s"
  done
done | sort -u >"$lab_procs"
check "the lab runs processes ($(wc -l <"$lab_procs"))" test -s "$lab_procs"
is_lab_pid() { grep -q "^$1 " "$lab_procs"; }
url_port() { local p=${1%/}; echo "${p##*:}"; }
lab_ports=" $LAB_PG_PORT $(url_port "$LAB_URL") $(url_port "$LAB_ARTIFACT_URL") "
listen_bad=$work/listen-bad
: >"$listen_bad"
lab_sockets=$work/lab-sockets
: >"$lab_sockets"
# One line per listening socket (TCP and UDP): "LOCAL_ADDRESS:PORT users:((...pid=N...))";
# the process names may hold spaces ("gunicorn: worker"), so all after the peer.
ss -Hltunp | awk '{ a = $5; $1 = $2 = $3 = $4 = $5 = $6 = ""; print a, $0 }' | while read -r addr users; do
  port=${addr##*:}
  { grep -o 'pid=[0-9]*' <<<"$users" || true; } | cut -d= -f2 | while read -r p; do
    if is_lab_pid "$p"; then
      echo "$p $addr" >>"$lab_sockets"
      [[ $addr == 127.0.0.1:* ]] || echo "lab pid $p listens on $addr" >>"$listen_bad"
    elif [[ $lab_ports == *" $port "* ]]; then
      echo "pid $p, not the lab's, listens on the lab's port $addr" >>"$listen_bad"
    fi
  done
done
check "every lab socket listens on 127.0.0.1 only, the lab's ports are the lab's ($(cat "$listen_bad"))" \
  test ! -s "$listen_bad"
# Not a vacuous pass: ss saw the sockets of PostgreSQL, gunicorn and http.server.
check "ss shows the lab's listening sockets ($(sort -u "$lab_sockets" | tr '\n' ' '))" \
  test "$(cut -d' ' -f2 "$lab_sockets" | sort -u | wc -l)" -ge 3
for port in $lab_ports; do
  check "port $port listened on at 127.0.0.1" test -n "$(ss -Hltn "sport = :$port" | awk -v a="127.0.0.1:$port" '$4 == a')"
done

# --- down.sh leaves nothing ---
check "down.sh exits 0" "$lab/down.sh" "$work"
left=$(while read -r p s; do [ "$(proc_starttime "$p")" != "$s" ] || echo "$p"; done <"$lab_procs")
check "no lab process left after down.sh (${left//$'\n'/ })" test -z "$left"

[ "$fails" -eq 0 ] || { echo "FAIL: $fails check(s)"; exit 1; }
echo "PASS: lab up, API and loopback checks, down"
