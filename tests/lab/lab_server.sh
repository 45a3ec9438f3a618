#!/usr/bin/env bash
# `pipehang run --lab URL` through a real LAVA server on this machine
# (scripts/lab/up.sh: lava-server with its PostgreSQL, scheduler, a worker
# with two qemu devices, all on 127.0.0.1), Debian's stock 6.1 kernel:
#  - good: every run clean, exit 0, a LAVA test case per run in the job;
#  - the throttled disk: bad, exit 1, the holder of pipe->mutex named;
#  - the same kernel judged locally gives the same verdicts (good, bad);
#  - a job LAVA itself fails (artifact URLs that do not exist): exit 128,
#    LAVA's error_type named, never good/bad/skip;
#  - a wrong token: exit 128, "refused the token", nothing submitted;
#  - a lab that is not there: exit 128, "cannot reach the LAVA server";
#  - --ktap through the lab, read by the kernel's own KTAP parser.
# Prints the time per verdict through the lab and locally (figures for
# docs/lab.md; not asserted). A trap runs down.sh whatever way it ends.
#   lab_server.sh PIPEHANG KERNEL
# Exit: 0 pass, 1 fail, 77 skip (not root / the lab's packages missing).
set -uo pipefail
ph=$1 kernel=$2
here=$(cd "$(dirname "$0")" && pwd)
lab=$here/../../scripts/lab
source "$here/../../scripts/lib/exit-status.sh"
source "$here/lib.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: the lab needs root"; exit 77; }
for tool in lava-server lava-worker curl jq; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool missing (scripts/install-deps.sh lab)"; exit 77; }
done
work=$(mktemp -d /tmp/pipehang-lab-server.XXXXXX)
chmod 711 "$work" # the lab runs PostgreSQL and lava-server as their own users
cleanup() {
	"$lab/down.sh" "$work/lab" >/dev/null || echo "FAIL: down.sh"
	rm -rf "$work"
}
trap cleanup EXIT

"$lab/up.sh" "$work/lab" || { echo "FAIL: up.sh"; exit 1; }
source "$work/lab/lab.env"
labflags=(--lab "$LAB_URL" --lab-token-file "$LAB_TOKEN_FILE" --artifact-dir "$LAB_ARTIFACT_DIR"
	--artifact-url "$LAB_ARTIFACT_URL" --kernel "$kernel")

judge() { # judge NAME EXPECTED_EXIT PIPEHANG_ARGS... : output in $work/NAME.{out,err}, seconds in $secs
	local name=$1 want=$2 rc=0 t0
	shift 2
	t0=$(date +%s.%N)
	timeout 900 "$ph" run "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	printf '%s: exit %s in %.1f s\n' "$name" "$rc" "$secs"
	sed 's/^/    /' "$work/$name.out"
	[ "$rc" -eq "$want" ] || { tail -n 15 "$work/$name.err"; }
	check "$name exits $want" test "$rc" -eq "$want"
}

# --- verdicts through the server, and the same kernel here ---
judge lab_good "$PH_EXIT_GOOD" "${labflags[@]}" --runs 2; t_lab_good=$secs
check "lab good: every run clean" grep -q 'all runs: OK' "$work/lab_good.out"
judge lab_bad "$PH_EXIT_BAD" "${labflags[@]}" --runs 1 --disk-throttle 65536; t_lab_bad=$secs
check "lab bad: the holder named" grep -qE 'run #0: crashed: INFO: task hung in pipe_release \[holder (ph-splice|repro-splice)[^ ]*/[0-9]+' "$work/lab_bad.out"
judge local_good "$PH_EXIT_GOOD" --kernel "$kernel" --runs 2; t_local_good=$secs
judge local_bad "$PH_EXIT_BAD" --kernel "$kernel" --runs 1 --disk-throttle 65536; t_local_bad=$secs
for v in good bad; do
	check "lab and local give the same $v verdict line" test \
		"$(grep '^verdict:' "$work/lab_$v.out" | sed 's/(confidence.*//')" = \
		"$(grep '^verdict:' "$work/local_$v.out" | sed 's/(confidence.*//')"
done

# The good job on the lab: Complete, a LAVA test case per run.
token=$(cat "$LAB_TOKEN_FILE")
api() { curl -sS --max-time 10 -H "Authorization: Token $token" "${LAB_URL}api/v0.2/$1"; }
first=$(api "jobs/?ordering=id&limit=1" | jq -r '.results[0].id')
check "the good job is Finished/Complete on the lab" test "$(api "jobs/$first/" | jq -r '.state + "/" + .health')" = Finished/Complete
cases=$(api "jobs/$first/tests/?limit=100" | jq -r '[.results[] | select(.suite_name? // .suite | tostring | test("pipehang")) | .result] | join(",")')
[ -n "$cases" ] || cases=$(api "jobs/$first/tests/?limit=100" | jq -r '[.results[] | select(.name == "0" or .name == "1") | .result] | join(",")')
check "the good job has a passing LAVA test case per run (got '$cases')" test "$cases" = "pass,pass"

# --- LAVA's own failure: artifacts that are not there ---
judge lab_missing "$PH_EXIT_ERROR" "${labflags[@]/$LAB_ARTIFACT_URL/${LAB_ARTIFACT_URL}no-such-dir/}" --runs 1
check "a job LAVA fails names LAVA's error_type" grep -qE 'harness error: LAVA .*job/[0-9]+: Job error: .*Resource unavailable' "$work/lab_missing.err"
check "and gives no verdict" bash -c "! grep -q '^verdict' '$work/lab_missing.out'"

# --- a wrong token ---
echo "not-the-token" >"$work/wrong-token"
before=$(api "jobs/?limit=1" | jq -r '.count')
judge lab_wrong_token "$PH_EXIT_ERROR" --lab "$LAB_URL" --lab-token-file "$work/wrong-token" --kernel "$kernel" --runs 1
check "a wrong token is named as refused" grep -q 'refused the token' "$work/lab_wrong_token.err"
check "nothing was submitted with it" test "$(api "jobs/?limit=1" | jq -r '.count')" = "$before"
check "the token is in no message" bash -c "! grep -q 'not-the-token' '$work/lab_wrong_token.err' '$work/lab_wrong_token.out'"

# --- a lab that is not there ---
judge lab_unreachable "$PH_EXIT_ERROR" --lab http://127.0.0.1:1/ --lab-token-file "$LAB_TOKEN_FILE" --kernel "$kernel" --runs 1
check "an unreachable lab is named" grep -q 'cannot reach the LAVA server http://127.0.0.1:1/' "$work/lab_unreachable.err"

# --- KTAP through the lab, read by the kernel's parser ---
kunit=$("$here/../../scripts/lib/kunit-tool.sh" "$work") || { echo "FAIL: no KTAP parser"; exit 1; }
rc=0
timeout 900 "$ph" run "${labflags[@]}" --runs 1 --ktap >"$work/lab.ktap" 2>"$work/lab_ktap.err" || rc=$?
check "--ktap through the lab exits good" test "$rc" -eq "$PH_EXIT_GOOD"
prc=0
python3 "$kunit" parse --json="$work/parsed.json" <"$work/lab.ktap" >"$work/parsed.txt" 2>&1 || prc=$?
check "the kernel's parser reads it without error (exit $prc)" bash -c "[ $prc -eq 0 ] && ! grep -qE '\[ERROR\]|\[CRASHED\]|Traceback' '$work/parsed.txt'"
check "the parser sees the run passed" test "$(jq -r '.sub_groups[0].test_cases[0] | "\(.name) \(.status)"' "$work/parsed.json")" = "run_0 PASS"

printf 'time per verdict: good %.1f s through the lab, %.1f s here (%.2fx); bad %.1f s through the lab, %.1f s here (%.2fx)\n' \
	"$t_lab_good" "$t_local_good" "$(echo "$t_lab_good / $t_local_good" | bc -l)" \
	"$t_lab_bad" "$t_local_bad" "$(echo "$t_lab_bad / $t_local_bad" | bc -l)"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "lab_server: all checks passed"
