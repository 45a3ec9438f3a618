#!/usr/bin/env bash
# `pipehang lava-job` and `run --lab lava-run`: LAVA's own dispatcher,
# here, without a server.
#  - lava-job writes job.yaml and its three artifacts; LAVA's strict
#    schema (lava_common.schemas.validate(strict=True)) accepts the job,
#    and so does `lava-run --validate` with the rendered qemu device;
#  - Debian's stock 6.1 judged through lava-run and here: the same verdict
#    line, good, and bad on the throttled disk with the holder named;
#  - nothing of lava-run is left: no scratch dir of ours under
#    /var/lib/lava/dispatcher/tmp, no artifact directory.
#   lab_lava_run.sh PIPEHANG KERNEL
# Exit: 0 pass, 1 fail, 77 skip (not root / lava-dispatcher missing).
set -uo pipefail
ph=$1 kernel=$2
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../../scripts/lab
source "$here/../../scripts/lib/exit-status.sh"
source "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: lava-run needs root"; exit 77; }
command -v lava-run >/dev/null || { echo "SKIP: lava-run missing (scripts/install-deps.sh lab)"; exit 77; }
work=$(mktemp -d /tmp/pipehang-lab-lava-run.XXXXXX)
trap 'rm -rf "$work"' EXIT

# --- the job ---
rc=0
timeout 600 "$ph" lava-job --kernel "$kernel" --out "$work/job" --runs 3 --disk-throttle 65536 >"$work/job.out" 2>"$work/job.err" || rc=$?
check "lava-job exits 0 (got $rc)" test "$rc" -eq 0
for f in job.yaml bzImage initrd.cpio disk.img.zst; do check "lava-job wrote $f" test -s "$work/job/$f"; done
check "the job carries the disk throttle" grep -q 'throttling.bps-write=65536' "$work/job/job.yaml"
check "the job has a monitors action on the guest's markers" grep -q 'start: "PIPEHANG: boot "' "$work/job/job.yaml"
verr=$(/usr/bin/python3 -c '
import sys, yaml
from lava_common.schemas import validate
validate(yaml.safe_load(open(sys.argv[1])), strict=True)' "$work/job/job.yaml" 2>&1)
check "LAVA's strict schema accepts the job${verr:+: $verr}" test -z "$verr"
"$lab/render-device.py" "$lab/qemu-tcg.jinja2" "$work/device.yaml" '{"arch": "amd64", "no_kvm": true}'
check "the qemu device renders" test -s "$work/device.yaml"
rc=0
timeout 120 lava-run --validate --job-id "pipehang-validate-$$" --output-dir "$work/validate" --device "$work/device.yaml" \
	"$work/job/job.yaml" >"$work/validate.log" 2>&1 || rc=$?
check "lava-run --validate accepts it (exit $rc)" grep -qx 'result: pass' "$work/validate/result.yaml"
rm -rf "/var/lib/lava/dispatcher/tmp/pipehang-validate-$$"

# --- verdicts through lava-run and here ---
labflags=(--lab lava-run --lab-device "$lab/qemu-tcg.jinja2" --artifact-dir "$work/artifacts" --kernel "$kernel")
judge() { # judge NAME EXPECTED_EXIT ARGS...
	local name=$1 want=$2 rc=0
	shift 2
	tracked "$work/pids" 900 "$ph" run "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	echo "$name: exit $rc"
	sed 's/^/    /' "$work/$name.out"
	[ "$rc" -eq "$want" ] || tail -n 15 "$work/$name.err"
	check "$name exits $want" test "$rc" -eq "$want"
}
judge lava_run_good "$PH_EXIT_GOOD" "${labflags[@]}" --runs 2
judge local_good "$PH_EXIT_GOOD" --kernel "$kernel" --runs 2
judge lava_run_bad "$PH_EXIT_BAD" "${labflags[@]}" --runs 1 --disk-throttle 65536
judge local_bad "$PH_EXIT_BAD" --kernel "$kernel" --runs 1 --disk-throttle 65536
check "lava-run bad: the holder named" grep -qE 'run #0: crashed: INFO: task hung in pipe_release \[holder (ph-splice|repro-splice)[^ ]*/[0-9]+' "$work/lava_run_bad.out"
for v in good bad; do
	check "lava-run and local give the same $v verdict line" test \
		"$(grep '^verdict:' "$work/lava_run_$v.out" | sed 's/(confidence.*//')" = \
		"$(grep '^verdict:' "$work/local_$v.out" | sed 's/(confidence.*//')"
done
check "no artifact directory is left" bash -c "[ -z \"\$(ls -A '$work/artifacts' 2>/dev/null)\" ]"
left=$(scratch_left "$work/pids")
check "no lava-run scratch dir of ours is left${left:+: $left}" test -z "$left"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "lab_lava_run: all checks passed"
