#!/usr/bin/env bash
# The bisect demo driver and its scenario tables, without a kernel: in
# seconds, what would otherwise fail only after a 20-minute bisection.
#  - every scenario table defines what scripts/bisect-demo/demo.sh needs,
#    its jq checks compile, its history steps read (demo.sh --check);
#  - every scenario the Makefile and the e2e tests name is there;
#  - --help, and usage errors exit 2 without touching the fixture;
#  - a table broken in each way the check knows fails it (exit 1), and the
#    driver refuses to run it.
#   demo_scenarios.sh SOURCE_DIR
set -uo pipefail
src=${1:?usage: demo_scenarios.sh SOURCE_DIR}
. "$src/scripts/lib/exit-status.sh"
demo=$src/scripts/bisect-demo/demo.sh
history=$src/scripts/bisect-demo/make-history.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing here may use the fixture: a cache of its own, and a fixture path
# that cannot be made, so a driver that got past its checks fails at once.
export PIPEHANG_CACHE=$tmp/cache PIPEHANG_BISECT_FIXTURE=/dev/null/no-fixture
fail=0

expect() { # expect STATUS NEEDLE -- CMD...
	local want=$1 needle=$2; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" != "$want" ] || [[ $out != *"$needle"* ]]; then
		echo "FAIL: ${*#"$src/"} -> exit $rc (want $want, output with '$needle'), output:"
		sed 's/^/    /' <<<"$out" | head -n 20
		fail=1
	else
		echo "ok: ${*#"$src/"} -> $rc"
	fi
}

mapfile -t scenarios < <(cd "$src/scripts/bisect-demo/scenarios" && ls -- *.sh | sed 's/\.sh$//')
[ ${#scenarios[@]} -ge 3 ] || { echo "FAIL: only ${#scenarios[@]} scenario tables"; fail=1; }
for s in "${scenarios[@]}"; do
	expect "$PH_EXIT_GOOD" "scenario $s ok" -- "$demo" --check "$s"
	expect "$PH_EXIT_GOOD" "$s: " -- "$history" --check "$s"
	expect "$PH_EXIT_GOOD" "$s -- " -- "$demo" "$s" --help
done
expect "$PH_EXIT_GOOD" "scenario replay ok" -- "$demo" --check

# The scenarios `make bisect-demo*` and the e2e tests run.
for f in Makefile tests/bisect/CMakeLists.txt; do
	used=$(grep -oE 'bisect-demo/demo\.sh [a-z]+ \$' "$src/$f" | awk '{ print $2 }' | sort -u)
	[ -n "$used" ] || { echo "FAIL: $f runs no demo.sh scenario"; fail=1; }
	for s in $used; do
		[ -r "$src/scripts/bisect-demo/scenarios/$s.sh" ] && echo "ok: $f runs scenario $s" ||
			{ echo "FAIL: $f runs demo.sh $s: no such scenario"; fail=1; }
	done
done
for t in planted:bisect-demo-planted replay:bisect-demo merges:bisect-demo-merges; do
	grep -A1 -q "^${t#*:}:" "$src/Makefile" && grep -A1 "^${t#*:}:" "$src/Makefile" | grep -q "demo.sh ${t%%:*} " &&
		echo "ok: make ${t#*:} runs scenario ${t%%:*}" || { echo "FAIL: make ${t#*:} does not run demo.sh ${t%%:*}"; fail=1; }
done

# --help and usage errors: no fixture, no lock, no build needed.
expect "$PH_EXIT_GOOD" "Usage: scripts/bisect-demo/demo.sh SCENARIO" -- "$demo" --help
expect "$PH_EXIT_GOOD" "merges    " -- "$demo" -h
expect "$PH_EXIT_GOOD" "Usage: scripts/bisect-demo/make-history.sh SCENARIO" -- "$history" --help
mkdir -p "$tmp/build/bin" "$tmp/nobuild"
printf '#!/bin/sh\necho "fake pipehang must not run" >&2; exit 99\n' >"$tmp/build/bin/pipehang"
chmod +x "$tmp/build/bin/pipehang"
expect "$PH_EXIT_USAGE" "usage: demo.sh SCENARIO" -- "$demo"
expect "$PH_EXIT_USAGE" "no scenario 'nope' (scenarios: " -- "$demo" nope "$tmp/build"
expect "$PH_EXIT_USAGE" "no scenario 'nope'" -- "$demo" nope --help
expect "$PH_EXIT_USAGE" "no scenario 'nope'" -- "$demo" --check nope
expect "$PH_EXIT_USAGE" "unknown option --frobnicate" -- "$demo" replay "$tmp/build" --frobnicate
expect "$PH_EXIT_USAGE" "usage: demo.sh" -- "$demo" replay "$tmp/build" extra
expect "$PH_EXIT_USAGE" "--runs needs a number" -- "$demo" replay "$tmp/build" --runs
expect "$PH_EXIT_USAGE" "--runs '0' is not a positive number" -- "$demo" replay "$tmp/build" --runs 0
expect "$PH_EXIT_USAGE" "--runs 'x' is not a positive number" -- "$demo" merges "$tmp/build" --runs x
expect "$PH_EXIT_USAGE" "--workers needs a number" -- "$demo" merges "$tmp/build" --workers
expect "$PH_EXIT_USAGE" "--workers '0' is not a positive number" -- "$demo" merges "$tmp/build" --workers 0
expect "$PH_EXIT_USAGE" "$tmp/nobuild/bin/pipehang not built" -- "$demo" planted "$tmp/nobuild" --clean --no-verify
expect "$PH_EXIT_USAGE" "usage: make-history.sh" -- "$history"
expect "$PH_EXIT_USAGE" "usage: make-history.sh" -- "$history" replay merges
expect "$PH_EXIT_USAGE" "unknown option --frobnicate" -- "$history" replay --frobnicate
expect "$PH_EXIT_USAGE" "no scenario 'nope'" -- "$history" nope
[ ! -e "$PIPEHANG_CACHE/bisect-demo.lock" ] && echo "ok: no usage error took the fixture lock" ||
	{ echo "FAIL: a usage error took the fixture lock"; fail=1; }

# Broken tables: each must fail --check (1) and be refused by the driver (2).
base=$src/scripts/bisect-demo/scenarios/replay.sh
broken() { # broken NAME NEEDLE SED-SCRIPT [run]: replay.sh edited by SED-SCRIPT must fail --check with NEEDLE (and the driver, with run)
	local f=$tmp/$1.sh
	sed "$3" "$base" >"$f"
	cmp -s "$f" "$base" && { echo "FAIL: broken $1: the edit changed nothing"; fail=1; return; }
	expect "$PH_EXIT_BAD" "$2" -- "$demo" --check "$f"
	# The driver runs the same check before it takes the fixture lock.
	[ -z "${4:-}" ] || expect "$PH_EXIT_USAGE" "the scenario table $f is broken" -- "$demo" "$f" "$tmp/build"
}
broken jq-syntax "jq expression does not compile" 's/== \$openat2/== = $openat2/' run
broken jq-unknown-arg "jq expression does not compile" 's/== \$openat2/== $nosuch/'
broken unknown-run "'sybot' is not a run of the scenario" "s/expect_json syzbot '(.first.false/expect_json sybot '(.first.false/"
broken expect-args "expect_json needs RUN EXPRESSION MESSAGE" 's/ "default mode did not find the culprit"$//'
broken no-bad "does not set bad" 's/^good=replay-v5.5 bad=replay-v5.6$/good=replay-v5.5/' run
broken no-runs "has no runs" 's/^runs=(.*)$/runs=()/'
broken bad-mode "is not 'NAME syzbot|default'" 's/"default default"/"default fast"/'
broken two-runs "two runs named syzbot" 's/"default default"/"syzbot default"/'
broken no-verify-run "'sybot' is not a run" 's/^no_verify=(syzbot)$/no_verify=(sybot)/'
broken no-checks "does not define the function checks" 's/^checks() {$/nochecks() {/'
broken checks-nothing "checks() checks nothing" 's/^\texpect_json /\t: expect_json /'
broken regex "not a regular expression" 's/^\texpect_json default .\.first\.verification.*$/\texpect_log default "^(Bisecting" "" "x"/'
broken no-patch "am 0042-nope.patch: 0 patches" 's/^am 0007-.*$/am 0042-nope.patch/' run
broken untagged-end "the end 'replay-v5.6' is not a tag the history makes" 's/^tag replay-v5.6$/tag replay-v5.7/'
broken bad-step "cannot read 'pick 0003'" 's/^am 0003-.*$/pick 0003/'
broken unknown-branch "checkout of unknown branch 'main'" 's/^tag replay-v5.4$/checkout main\n&/'
broken not-bash "does not read as bash" 's/^results() {$/results() {(/'

[ $fail -eq 0 ] && echo "all demo scenario checks passed"
exit $fail
