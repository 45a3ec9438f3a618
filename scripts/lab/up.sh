#!/usr/bin/env bash
# Brings up a real, local LAVA lab (Debian's lava-server/lava-dispatcher
# 2023.01) whose every file lives under STATE_DIR and whose every daemon
# listens on 127.0.0.1 only:
#   - a PostgreSQL 15 cluster of its own (STATE_DIR/pg), on a free port;
#   - lava-server's web/API server (gunicorn, lava_server.wsgi) on a free port;
#   - the event publisher (lava-server manage lava-publisher): the
#     scheduler and the worker act on a job as soon as it is submitted
#     or scheduled, instead of on their next poll;
#   - the scheduler (lava-server manage lava-scheduler);
#   - lava-worker, with device type qemu and devices qemu-01, qemu-02;
#   - a static HTTP server for job artifacts (STATE_DIR/artifacts).
# Nothing under /etc is written: lava-server 2023.01 reads its settings from
# /etc/lava-server (settings.d/*.yaml ...) and then from the environment,
# the environment last; the lab passes everything it needs (database, paths
# of device dictionaries, media and logs) in LAVA_JSON_SETTINGS, kept in
# STATE_DIR/lava-env.sh (mode 600: it holds the database password).
#
# Usage: scripts/lab/up.sh STATE_DIR      (as root)
# On success (exit 0) STATE_DIR/lab.env holds LAB_URL, LAB_TOKEN_FILE,
# LAB_ARTIFACT_DIR, LAB_ARTIFACT_URL, LAB_USER and the pids; the API token
# is in STATE_DIR/token (mode 600). Stop the lab with scripts/lab/down.sh.
# On failure it names what did not come up, shows the tail of its log,
# stops whatever it had started and exits 1 (2: usage).
# `source STATE_DIR/lava-env.sh; lava-server manage ...` talks to the lab.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/lab/lib.sh
source "$here/lib.sh"

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 STATE_DIR" >&2
  exit 2
fi
# Bounds of the waits, in seconds (CI may override them).
PG_WAIT=${LAB_PG_WAIT:-60}
API_WAIT=${LAB_API_WAIT:-90}
WORKER_WAIT=${LAB_WORKER_WAIT:-90}
MIGRATE_WAIT=${LAB_MIGRATE_WAIT:-600}
LAB_USER=pipehang
WORKER_NAME=pipehang-worker
DEVICES=(qemu-01 qemu-02)
PG_BIN=/usr/lib/postgresql/15/bin

die() { lab_log "ERROR: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (PostgreSQL runs as user postgres, lava-worker as root)"
for tool in "$PG_BIN/initdb" "$PG_BIN/pg_ctl" "$PG_BIN/pg_isready" "$PG_BIN/psql" lava-server gunicorn3 \
    lava-worker curl jq python3 runuser setsid qemu-system-x86_64; do
  command -v "$tool" >/dev/null ||
    die "missing $tool: run scripts/install-deps.sh lab"
done
python3 -c 'import eventlet' 2>/dev/null || die "missing python3-eventlet: run scripts/install-deps.sh lab"

mkdir -p "$1"
state=$(cd "$1" && pwd)
for f in "$state"/pids/*; do
  [ -f "$f" ] || continue
  if pid=$(recorded_alive "$state" "$(basename "$f")"); then
    die "$state already has a running lab ($(basename "$f") is pid $pid); stop it with $here/down.sh $state"
  fi
done
# A lab that was stopped (or died) leaves its data: start from nothing,
# but keep artifacts/, which a user may have filled.
rm -rf "${state:?}"/{pg,pids,logs,media,worker,dispatcher-config,dispatcher.d,run}
rm -f "$state"/{lab.env,lava-env.sh,token,worker-token,timings}
mkdir -p "$state"/{pids,logs,media,worker,dispatcher.d,run,artifacts} \
  "$state"/dispatcher-config/{devices,device-types,health-checks}
# PostgreSQL runs as postgres: it must reach STATE_DIR (mktemp -d makes 700).
chmod o+x "$state"
mkdir -p "$state/pg/run" && chown -R postgres:postgres "$state/pg"
runuser -u postgres -- test -x "$state/pg" ||
  die "user postgres cannot reach $state (a parent directory is not searchable by others)"

ready=0
on_exit() {
  local rc=$?
  if [ "$ready" -ne 1 ]; then
    lab_log "up failed (exit $rc); stopping what was started"
    "$here/down.sh" "$state" >&2 || true
    [ "$rc" -ne 0 ] || rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# --- timing ---
now() { date +%s.%N; }
t_all=$(now)
t_phase=$t_all
phase_done() { # phase_done NAME: prints and keeps how long the phase took
  local t
  t=$(now)
  awk -v n="$1" -v a="$t_phase" -v b="$t" 'BEGIN { printf "%-10s %6.1f s\n", n, b - a }' | tee -a "$state/timings" | sed 's/^/lab: phase /' >&2
  t_phase=$t
}

# fail_log WHAT LOGFILE: the clear reason, and the log that explains it.
fail_log() {
  lab_log "ERROR: $1 did not come up; last lines of $2:"
  tail -n 30 "$2" 2>/dev/null | sed 's/^/  | /' >&2 || true
  exit 1
}

# start_daemon NAME LOG CMD...: runs CMD in a session of its own (so
# down.sh can signal its whole process group, children included) and
# records its pid. setsid execs in place (a background job of a script is
# no process group leader), so $! is the daemon itself.
start_daemon() {
  local name=$1 log=$2
  shift 2
  setsid "$@" </dev/null >>"$log" 2>&1 &
  record_pid "$state" "$name" $!
  lab_log "started $name (pid $!)"
}

# wait_for WHAT SECONDS LOG PIDNAME CMD...: polls CMD every 0.5 s until it
# succeeds; fails with WHAT and LOG when the bound passes or the daemon
# recorded as PIDNAME dies ("-": none to watch).
wait_for() {
  local what=$1 limit=$2 log=$3 pidname=$4 deadline
  shift 4
  deadline=$(($(date +%s) + limit))
  until "$@" >/dev/null 2>&1; do
    if [ "$pidname" != - ] && ! recorded_alive "$state" "$pidname" >/dev/null; then
      fail_log "$what (the process exited)" "$log"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || fail_log "$what (not within ${limit} s)" "$log"
    sleep 0.5
  done
}

# --- ports and secrets ---
pg_port=$(free_port)
api_port=$(free_port)
art_port=$(free_port)
ws_port=$(free_port)
while [ "$api_port" = "$pg_port" ]; do api_port=$(free_port); done
while [ "$art_port" = "$pg_port" ] || [ "$art_port" = "$api_port" ]; do art_port=$(free_port); done
while [ "$ws_port" = "$pg_port" ] || [ "$ws_port" = "$api_port" ] || [ "$ws_port" = "$art_port" ]; do
  ws_port=$(free_port)
done
lab_url=http://127.0.0.1:$api_port/
art_url=http://127.0.0.1:$art_port/
db_password=$(python3 -c 'import secrets; print(secrets.token_hex(24))')

# --- the artifact server: needs nothing else, started first ---
start_daemon http "$state/logs/http.log" python3 -m http.server --bind 127.0.0.1 \
  --directory "$state/artifacts" "$art_port"

# --- PostgreSQL: a cluster of the lab's own ---
# fsync, synchronous_commit and full_page_writes off: the lab's database is
# thrown away with the lab, and migrate's hundreds of DDL transactions are
# several times faster without a flush each.
runuser -u postgres -- "$PG_BIN/initdb" -D "$state/pg/data" -U postgres --no-sync \
  --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
  >"$state/logs/initdb.log" 2>&1 || fail_log "initdb of $state/pg/data" "$state/logs/initdb.log"
cat >>"$state/pg/data/postgresql.conf" <<EOF

# pipehang lab (scripts/lab/up.sh)
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$state/pg/run'
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
EOF
# The postmaster writes its log as postgres.
touch "$state/logs/postgresql.log" && chown postgres:postgres "$state/logs/postgresql.log"
# pg_ctl -w waits (bounded by -t) until the server accepts connections; the
# postmaster's pid is postmaster.pid's first line (it leads its own session).
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$state/pg/data" -l "$state/logs/postgresql.log" \
  -w -t "$PG_WAIT" start >>"$state/logs/initdb.log" 2>&1 ||
  fail_log "PostgreSQL (pg_ctl start, bound ${PG_WAIT} s)" "$state/logs/postgresql.log"
"$PG_BIN/pg_isready" -q -h "$state/pg/run" -p "$pg_port" -t 5 ||
  fail_log "PostgreSQL (pg_isready on port $pg_port)" "$state/logs/postgresql.log"
record_pid "$state" postgres "$(head -n 1 "$state/pg/data/postmaster.pid")"
lab_log "started postgres (pid $(cut -d' ' -f1 "$state/pids/postgres"), port $pg_port)"
runuser -u postgres -- "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$state/pg/run" -p "$pg_port" -d postgres \
  >>"$state/logs/initdb.log" 2>&1 <<EOF || fail_log "the lavaserver database" "$state/logs/initdb.log"
CREATE ROLE lavaserver LOGIN PASSWORD '$db_password';
CREATE DATABASE lavaserver OWNER lavaserver;
EOF
phase_done postgres

# --- lava-server's settings, all in the environment ---
state=$state pg_port=$pg_port db_password=$db_password python3 - <<'EOF'
import base64, json, os, secrets
s = os.environ["state"]
settings = {
    "DATABASES": {"default": {
        "ENGINE": "django.db.backends.postgresql", "NAME": "lavaserver",
        "USER": "lavaserver", "PASSWORD": os.environ["db_password"],
        "HOST": "127.0.0.1", "PORT": os.environ["pg_port"]}},
    "SECRET_KEY": secrets.token_urlsafe(48),
    "INSTANCE_NAME": "pipehang-lab",
    "ALLOWED_HOSTS": ["127.0.0.1", "localhost"],
    "DEVICES_PATH": f"{s}/dispatcher-config/devices",
    "DEVICE_TYPES_PATHS": [f"{s}/dispatcher-config/device-types",
                           "/usr/share/lava-server/device-types"],
    "HEALTH_CHECKS_PATH": f"{s}/dispatcher-config/health-checks",
    "DISPATCHER_CONFIG_PATH": f"{s}/dispatcher.d",
    "MEDIA_ROOT": f"{s}/media",
    "DJANGO_LOGFILE": f"{s}/logs/django.log",
    # Events: the web server pushes each job and device change to the
    # publisher (INTERNAL_EVENT_SOCKET), which publishes them to the
    # scheduler (EVENT_SOCKET) and to the worker (its websocket). Both
    # sockets are files in STATE_DIR: no other lab hears them.
    "EVENT_NOTIFICATION": True,
    "INTERNAL_EVENT_SOCKET": f"ipc://{s}/run/events-internal",
    "EVENT_SOCKET": f"ipc://{s}/run/events",
}
blob = base64.b64encode(json.dumps(settings).encode()).decode()
with os.fdopen(os.open(f"{s}/lava-env.sh", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
    f.write("# The pipehang lab's lava-server settings (scripts/lab/up.sh).\n")
    f.write("export PATH=/usr/sbin:/usr/bin:/sbin:/bin\n")
    f.write(f"export LAVA_JSON_SETTINGS={blob}\n")
EOF
# shellcheck disable=SC1091
source "$state/lava-env.sh"

# Device dictionaries: qemu.jinja2 defaults memory to 512 MB and every
# device to one MAC address; two devices running at once get their own.
# Without /dev/kvm the dictionary itself turns KVM off, so a job that
# forgets `no_kvm: true` in its context still runs (under TCG).
n=0
for dev in "${DEVICES[@]}"; do
  n=$((n + 1))
  {
    echo "{% extends 'qemu.jinja2' %}"
    printf "{%% set mac_addr = '52:54:00:12:34:%02x' %%}\n" "$n"
    echo "{% set memory = 1024 %}"
    [ -w /dev/kvm ] || echo "{% set no_kvm = true %}"
  } >"$state/dispatcher-config/devices/$dev.jinja2"
done

# The scheduler drops to user lavaserver (as lava-server's services do,
# gunicorn by -u): it reads the device dictionaries, writes job output
# under media/ and Django's log.
touch "$state/logs/django.log"
chown -R lavaserver:lavaserver "$state/media" "$state/dispatcher-config" "$state/logs/django.log"
# The publisher (dropping to lavaserver, as the scheduler does) makes its
# event sockets there, for gunicorn and the scheduler (lavaserver too).
chown lavaserver:lavaserver "$state/run"

# --- the web/API server: starts while migrate runs (gunicorn loads Django
# but asks the database nothing until a request comes) ---
# eventlet workers as lava-server-gunicorn.service; two fit two cores. A
# graceful stop (TERM) waits --graceful-timeout for the workers, 30 s by
# default: 5 keeps down.sh short.
start_daemon gunicorn "$state/logs/gunicorn.log" gunicorn3 lava_server.wsgi \
  --bind "127.0.0.1:$api_port" -u lavaserver -g lavaserver --worker-class eventlet --workers 2 --timeout 60 --graceful-timeout 5 \
  --log-level INFO --log-file "$state/logs/gunicorn.log"

# --- the schema ---
rc=0
timeout "$MIGRATE_WAIT" lava-server manage migrate --noinput >"$state/logs/migrate.log" 2>&1 || rc=$?
[ "$rc" -ne 124 ] || fail_log "the database schema (lava-server manage migrate: not done within ${MIGRATE_WAIT} s)" "$state/logs/migrate.log"
[ "$rc" -eq 0 ] || fail_log "the database schema (lava-server manage migrate exited $rc)" "$state/logs/migrate.log"
phase_done migrate

# --- user, token, device type, worker, devices: one Django process ---
cat >"$state/run/setup.py" <<'EOF'
import os
from django.contrib.auth.models import User
from linaro_django_xmlrpc.models import AuthToken
from lava_scheduler_app.models import Device, DeviceType, Worker

state = os.environ["LAB_STATE"]

def secret_file(name, text):
    fd = os.open(f"{state}/{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")

user = User.objects.create_superuser(os.environ["LAB_USER"], "pipehang@localhost", None)
secret_file("token", AuthToken.objects.create(user=user, description="pipehang lab").secret)
dt = DeviceType.objects.create(name="qemu", display=True)
worker = Worker.objects.create(hostname=os.environ["LAB_WORKER"], health=Worker.HEALTH_ACTIVE,
                               description="pipehang lab worker")
secret_file("worker-token", worker.token)
# Migrations leave a worker "example.com" behind; the lab has one worker.
Worker.objects.filter(hostname="example.com", device__isnull=True).delete()
for name in os.environ["LAB_DEVICES"].split():
    Device.objects.create(hostname=name, device_type=dt, worker_host=worker,
                          state=Device.STATE_IDLE, health=Device.HEALTH_GOOD)
EOF
LAB_STATE=$state LAB_USER=$LAB_USER LAB_WORKER=$WORKER_NAME LAB_DEVICES="${DEVICES[*]}" \
  timeout 120 lava-server manage shell --command "exec(open('$state/run/setup.py').read())" \
  >"$state/logs/setup.log" 2>&1 || fail_log "the user, token, worker and devices (setup.py)" "$state/logs/setup.log"
phase_done setup

# --- publisher, scheduler and worker ---
# Without the publisher the scheduler looks for work every 20 s and the
# worker on its ping: ~16 s of a job's overhead (measured). Its websocket
# (for the worker) listens on 127.0.0.1 only. The worker sends the job's
# log every second (default 5): pipehang's watcher reads the console from
# it, and stops a job that long after what it waits for.
start_daemon publisher "$state/logs/publisher.log" lava-server manage lava-publisher \
  --host 127.0.0.1 --port "$ws_port" --level DEBUG --log-file "$state/logs/publisher.log"
publisher_ready() { [ -S "$state/run/events" ] && [ -S "$state/run/events-internal" ]; }
wait_for "the event publisher's sockets" "$API_WAIT" "$state/logs/publisher.log" publisher publisher_ready
start_daemon scheduler "$state/logs/scheduler.log" lava-server manage lava-scheduler \
  --level DEBUG --log-file "$state/logs/scheduler.log" --event-url "ipc://$state/run/events"
start_daemon worker "$state/logs/worker.log" lava-worker --name "$WORKER_NAME" \
  --url "$lab_url" --ws-url "http://127.0.0.1:$ws_port/ws/" --token-file "$state/worker-token" \
  --worker-dir "$state/worker" --ping-interval 5 --job-log-interval 1 --level DEBUG --log-file "$state/logs/worker.log"

api() { curl -fsS --max-time 5 -H "Authorization: Token $(cat "$state/token")" "${lab_url}api/v0.2/$1"; }
wait_for "the artifact server on $art_url" "$API_WAIT" "$state/logs/http.log" http curl -fsS --max-time 2 "$art_url"
wait_for "the API on $lab_url" "$API_WAIT" "$state/logs/gunicorn.log" gunicorn api devices/
phase_done api
worker_online() { [ "$(api "workers/$WORKER_NAME/" | jq -r .state)" = Online ]; }
wait_for "lava-worker $WORKER_NAME online" "$WORKER_WAIT" "$state/logs/worker.log" worker worker_online
devices_idle() {
  [ "$(api "devices/?limit=100" | jq -r '[.results[] | select(.state == "Idle" and .health == "Good")] | length')" \
    = "${#DEVICES[@]}" ]
}
wait_for "devices ${DEVICES[*]} Idle" 30 "$state/logs/scheduler.log" scheduler devices_idle
# The scheduler is up when it went once through its loop, which renders
# every device's dictionary ("scheduling jobs:", then "done").
scheduled_once() {
  awk '/scheduling jobs:/ { s = 1 } s && / done$/ { ok = 1 } END { exit !ok }' "$state/logs/scheduler.log"
}
wait_for "the scheduler's first round" 60 "$state/logs/scheduler.log" scheduler scheduled_once
phase_done daemons

pid_of() { cut -d' ' -f1 "$state/pids/$1"; }
cat >"$state/lab.env" <<EOF
# The pipehang LAVA lab in $state (scripts/lab/up.sh); stop: scripts/lab/down.sh $state
LAB_URL=$lab_url
LAB_TOKEN_FILE=$state/token
LAB_USER=$LAB_USER
LAB_ARTIFACT_DIR=$state/artifacts
LAB_ARTIFACT_URL=$art_url
LAB_WORKER=$WORKER_NAME
LAB_DEVICES="${DEVICES[*]}"
LAB_DEVICE_TYPE=qemu
LAB_LAVA_ENV=$state/lava-env.sh
LAB_PG_PORT=$pg_port
LAB_PID_POSTGRES=$(pid_of postgres)
LAB_PID_GUNICORN=$(pid_of gunicorn)
LAB_PID_SCHEDULER=$(pid_of scheduler)
LAB_PID_PUBLISHER=$(pid_of publisher)
LAB_PID_WORKER=$(pid_of worker)
LAB_PID_HTTP=$(pid_of http)
EOF
chmod 644 "$state/lab.env"
t_phase=$t_all
phase_done total
ready=1
lab_log "ready: $lab_url (artifacts $art_url), see $state/lab.env"
