#!/usr/bin/env bash
# The bisect demos (`make bisect-demo`, `bisect-demo-merges`,
# `bisect-demo-planted`; the bisect e2e tests): one driver, one scenario
# table per demo (scripts/bisect-demo/scenarios/NAME.sh). For a scenario it
#
#  1. takes the fixture lock, makes (or reuses) the fixture tree
#     (make-fixture.sh) and the scenario's history (make-history.sh),
#  2. runs `pipehang bisect` on the scenario's range once per row of its
#     `runs` table (a mode each: syzbot, or the default), logs and JSON in
#     $PIPEHANG_DEMO_OUT (default: a new /tmp/pipehang-NAME.XXXXXX),
#  3. prints the results, the timings and syzbot's figures beside them, and
#     checks the scenario's expected results (jq on the JSON, lines of the
#     logs) and that every bisection exited 0,
#  4. with --check-report, renders each bisection's HTML report (written by
#     `pipehang bisect --report` to $PIPEHANG_DEMO_OUT/RUN-report/) and its
#     bad end's run report in headless Chromium (tests/report/),
#  5. always reads each bisection's KTAP (`--ktap`, $PIPEHANG_DEMO_OUT/RUN.ktap)
#     with the kernel's own parser (tools/testing/kunit/kunit.py of the
#     fixture's base, i.e. linux-source-6.1): no parser error, culprit named.
#
# Usage: scripts/bisect-demo/demo.sh SCENARIO [BUILD_DIR] [--clean] [--runs N] [--workers K] [--no-verify] [--check-report]
#        scripts/bisect-demo/demo.sh --check [SCENARIO...]
#        scripts/bisect-demo/demo.sh [SCENARIO] --help
#   SCENARIO     replay (make bisect-demo), merges (make bisect-demo-merges),
#                planted (make bisect-demo-planted), or a scenario file
#   BUILD_DIR    where `pipehang` was built (default build)
#   --clean      delete the fixture's build products first, so the first
#                kernel build is part of the measured time (ccache stays warm)
#   --runs N     reproducer runs per revision (default 3)
#   --workers K  bisect with K workers: K revisions a round, at once
#                (pipehang bisect --workers; default 1)
#   --no-verify  skip the culprit-revert check of the scenario's no_verify
#                runs (the syzbot-mode ones; the default mode always verifies)
#   --check-report  check the HTML reports in headless Chromium at the end
#                (tests/report/check-bisect-demo.sh; the e2e tests)
#   --check      read the scenario tables only (all of them by default): each
#                defines what this driver needs, its jq checks compile, its
#                history steps read (make-history.sh --check); no tree, no VM
#   --help       this text; with a SCENARIO, also what that demo shows
# Exit: 0 every expected result, 1 otherwise, 2 usage error.
# shellcheck disable=SC2317 # (expect_* and log_line are called from the scenario tables)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/exit-status.sh"
usage() {
	echo "usage: demo.sh SCENARIO [BUILD_DIR] [--clean] [--runs N] [--workers K] [--no-verify] [--check-report] | --check [SCENARIO...] (--help)" >&2
	exit "$PH_EXIT_USAGE"
}
scenario_names() { local f; for f in "$here"/scenarios/*.sh; do basename "$f" .sh; done; }
# scenario_file NAME-OR-PATH: the scenario's file (exit 2 when there is none)
scenario_file() {
	local f=$1
	[[ $f == */* ]] || f=$here/scenarios/$1.sh
	[ -r "$f" ] || { echo "bisect-demo: no scenario '$1' (scenarios: $(scenario_names | tr '\n' ' '))" >&2; exit "$PH_EXIT_USAGE"; }
	echo "$f"
}
header() { sed -n '/^#!/d; /^# shellcheck/d; /^#/!q; s/^# \{0,1\}//p' "$1"; }

args=() build=build clean=0 runs_per_rev=3 workers=1 verify=1 check=0 help=0 check_report=0
while [ $# -gt 0 ]; do
	case $1 in
	--clean) clean=1 ;;
	--runs) [ $# -ge 2 ] || { echo "bisect-demo: --runs needs a number" >&2; usage; }
		runs_per_rev=$2; shift ;;
	--workers) [ $# -ge 2 ] || { echo "bisect-demo: --workers needs a number" >&2; usage; }
		workers=$2; shift ;;
	--no-verify) verify=0 ;;
	--check-report) check_report=1 ;;
	--check) check=1 ;;
	-h|--help) help=1 ;;
	-*) echo "bisect-demo: unknown option $1" >&2; usage ;;
	*) args+=("$1") ;;
	esac
	shift
done

if [ $help -eq 1 ]; then
	header "$0"
	if [ ${#args[@]} -ge 1 ]; then
		file=$(scenario_file "${args[0]}")
		echo
		header "$file"
	else
		echo
		echo "Scenarios:"
		for s in $(scenario_names); do
			printf '  %-9s %s\n' "$s" "$(header "$here/scenarios/$s.sh" | head -n 1 | sed 's/^[a-z]* -- //')"
		done
	fi
	exit "$PH_EXIT_GOOD"
fi

# The helpers a scenario's checks() and results() call. In --check mode
# (dry=1) they only check their arguments: a known run, a jq expression
# that compiles, a regular expression grep takes.
dry=0 ok=1 nchecks=0
fail() { echo "$name: FAIL: $*" >&2; ok=0; }
known_run() { [[ " ${stems[*]} " == *" $1 "* ]] || { fail "'$1' is not a run of the scenario (runs: ${stems[*]})"; return 1; }; }
jq_compiles() { # a compile error is jq's exit 3; a run-time error on null input is fine
	local rc=0
	jq -n "${jq_args[@]}" "$1" >/dev/null 2>&1 || rc=$?
	[ "$rc" -ne 3 ] || { fail "jq expression does not compile: $1"; return 1; }
}
expect_json() { # expect_json RUN JQ-EXPRESSION MESSAGE: the expression is true on RUN's JSON
	[ $# -eq 3 ] || { fail "expect_json needs RUN EXPRESSION MESSAGE (got $#)"; return; }
	nchecks=$((nchecks + 1))
	if [ "$dry" -eq 1 ]; then known_run "$1" && jq_compiles "$2"; return 0; fi
	jq -e "${jq_args[@]}" "$2" "$out/$1.json" >/dev/null 2>&1 || fail "$3"
}
expect_log() { # expect_log RUN REGEX TEXT MESSAGE: RUN's log has a line matching REGEX, the first one containing TEXT
	[ $# -eq 4 ] || { fail "expect_log needs RUN REGEX TEXT MESSAGE (got $#)"; return; }
	nchecks=$((nchecks + 1))
	if [ "$dry" -eq 1 ]; then
		known_run "$1" || return 0
		local rc=0
		grep -qE -- "$2" /dev/null || rc=$?
		[ "$rc" -le 1 ] || fail "not a regular expression: $2"
		return 0
	fi
	local line
	if ! line=$(grep -m1 -E -- "$2" "$out/$1.log" 2>/dev/null) || [[ $line != *"$3"* ]]; then fail "$4"; fi
}
expect_no_bisection() { # no git bisection left in progress in the fixture
	[ "$dry" -eq 0 ] || return 0
	local p
	# shellcheck disable=SC2154 # (fixture: set by lock_fixture)
	p=$(git -C "$fixture" rev-parse --git-path BISECT_START) || { fail "git rev-parse failed in $fixture"; return; }
	[[ $p == /* ]] || p=$fixture/$p # relative to the fixture, not to us
	[ ! -e "$p" ] || fail "a git bisection was left in progress in $fixture"
}
first_bad() { # first_bad RUN JQ-PATH: "<id> <subject>" of the culprit at PATH in RUN's JSON, or none
	local e="$2 | if .culprit then \"\(.culprit.id[0:12]) \(.culprit.subject)\" else \"none\" end"
	if [ "$dry" -eq 1 ]; then known_run "$1" && jq_compiles "$e"; return 0; fi
	jq -r "$e" "$out/$1.json" 2>/dev/null || echo none
}
log_line() { # log_line RUN REGEX: the first line of RUN's log matching REGEX (1 when none)
	[ "$dry" -eq 0 ] || { known_run "$1"; return 1; }
	grep -m1 -E -- "$2" "$out/$1.log" 2>/dev/null
}

# load FILE: sources a scenario table and reads its runs; 1 when it lacks something
load() {
	local v row w
	name='' title='' good='' bad='' log_lines='' ok_line=''
	runs=() no_verify=() jq_args=() notes=() stems=() modes=()
	unset -f checks results
	# shellcheck source=scenarios/replay.sh
	if ! source "$1"; then fail "$1 does not read as bash"; return 1; fi
	name=${name:-bisect-demo}
	local err=0
	for v in name title good bad log_lines ok_line; do
		[ -n "${!v}" ] || { fail "$1 does not set $v"; err=1; }
	done
	for v in checks results; do
		declare -F "$v" >/dev/null || { fail "$1 does not define the function $v"; err=1; }
	done
	[ ${#runs[@]} -ge 1 ] || { fail "$1 has no runs"; err=1; }
	for row in "${runs[@]}"; do
		read -r -a w <<<"$row"
		if [ ${#w[@]} -ne 2 ] || [[ ! ${w[1]} =~ ^(syzbot|default)$ ]] || [[ ! ${w[0]} =~ ^[a-z0-9_-]+$ ]]; then
			fail "$1: runs row '$row' is not 'NAME syzbot|default'"; err=1; continue
		fi
		[[ " ${stems[*]} " != *" ${w[0]} "* ]] || { fail "$1: two runs named ${w[0]}"; err=1; }
		stems+=("${w[0]}") modes+=("${w[1]}")
	done
	for v in "${no_verify[@]}"; do known_run "$v" || err=1; done
	return $err
}

# validate FILE: load FILE and run its checks() and results() dry, and
# make-history.sh --check on it; 1 (with messages) when anything is wrong
validate() {
	local was=$dry
	dry=1 ok=1 nchecks=0
	if load "$1"; then
		checks
		results >/dev/null
		[ $nchecks -gt 0 ] || fail "$1: checks() checks nothing (no expect_json, no expect_log)"
	else
		ok=0
	fi
	"$here/make-history.sh" --check "$1" >/dev/null || ok=0
	dry=$was
	[ $ok -eq 1 ]
}

if [ $check -eq 1 ]; then
	[ ${#args[@]} -ge 1 ] || mapfile -t args < <(scenario_names)
	files=()
	for s in "${args[@]}"; do
		f=$(scenario_file "$s")
		files+=("$f")
	done
	all=1
	for f in "${files[@]}"; do
		if validate "$f"; then
			echo "bisect-demo: scenario $(basename "$f" .sh) ok: $good..$bad, runs: ${stems[*]}, $nchecks checks"
		else
			echo "bisect-demo: scenario $f: FAIL" >&2; all=0
		fi
	done
	[ $all -eq 1 ] && exit "$PH_EXIT_GOOD"
	exit "$PH_EXIT_BAD"
fi

[ ${#args[@]} -ge 1 ] || usage
[ ${#args[@]} -le 2 ] || usage
file=$(scenario_file "${args[0]}")
[ ${#args[@]} -lt 2 ] || build=${args[1]}
name=$(basename "$file" .sh)
pipehang=$build/bin/pipehang
[ -x "$pipehang" ] || { echo "bisect-demo $name: $pipehang not built (run make first)" >&2; exit "$PH_EXIT_USAGE"; }
[[ $runs_per_rev =~ ^[1-9][0-9]*$ ]] || { echo "bisect-demo $name: --runs '$runs_per_rev' is not a positive number" >&2; exit "$PH_EXIT_USAGE"; }
[[ $workers =~ ^[1-9][0-9]*$ ]] || { echo "bisect-demo $name: --workers '$workers' is not a positive number" >&2; exit "$PH_EXIT_USAGE"; }
# A broken table fails here, in seconds, not after the bisections.
validate "$file" || { echo "bisect-demo: the scenario table $file is broken (demo.sh --check)" >&2; exit "$PH_EXIT_USAGE"; }
ok=1

t0=$(date +%s)
source "$here/fixture-lock.sh"
lock_fixture "$name" || exit "$PH_EXIT_BAD"
fixture="$fixture" "$here/make-history.sh" "$file" >/dev/null
if [ $clean -eq 1 ]; then
	echo "$name: removing the fixture's build products (git clean -fdxq)"
	git -C "$fixture" clean -fdxq
fi
out=${PIPEHANG_DEMO_OUT:-$(mktemp -d "/tmp/pipehang-$name.XXXXXX")}
mkdir -p "$out"
echo "$name: fixture $fixture ($good..$bad), logs in $out"

rcs=() times=() t=$t0
for i in "${!stems[@]}"; do
	stem=${stems[$i]} mode=${modes[$i]} opts=()
	[ "$mode" = default ] || opts+=(--mode "$mode")
	[ "$workers" -eq 1 ] || opts+=(--workers "$workers")
	[ $verify -eq 1 ] || [[ " ${no_verify[*]} " != *" $stem "* ]] || opts+=(--no-verify)
	echo "$name: $((i + 1))/${#stems[@]} $mode mode, $good..$bad"
	rc=0
	rm -rf "$out/$stem-report" # no run report of an earlier demo linked by mistake
	"$pipehang" bisect --tree "$fixture" --good "$good" --bad "$bad" "${opts[@]}" \
		--runs "$runs_per_rev" --log "$out/$stem.log" --json "$out/$stem.json" --report "$out/$stem-report" \
		--ktap "$out/$stem.ktap" >/dev/null || rc=$?
	rcs+=("$rc") times+=("$(($(date +%s) - t))")
	t=$(date +%s)
done

mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
logs=()
for stem in "${stems[@]}"; do logs+=("$out/$stem.log"); done
echo
echo "================ $name: $title ================"
results
grep -hE "$log_lines" "${logs[@]}" 2>/dev/null || true
timing=""
for i in "${!stems[@]}"; do timing+="${timing:+, }${modes[$i]} mode $(mmss "${times[$i]}")"; done
echo "${timing}; whole demo $(mmss $((t - t0))) (fixture and builds included)"
for line in "${notes[@]}"; do echo "$line"; done
for stem in "${stems[@]}"; do echo "report: $out/$stem-report/index.html"; done

checks
for i in "${!stems[@]}"; do
	[ "${rcs[$i]}" -eq "$PH_EXIT_GOOD" ] || fail "pipehang bisect exited ${rcs[$i]} (${modes[$i]} mode, want $PH_EXIT_GOOD)"
done
# Each bisection's KTAP, read by the kernel's own parser (kunit.py parse
# exits 1 when a test failed, as a bad revision's must: its output says
# whether the document itself was read).
kunit_dir=$(mktemp -d /tmp/pipehang-kunit.XXXXXX)
if kunit=$(PIPEHANG_BISECT_FIXTURE=$fixture "$here/../lib/kunit-tool.sh" "$kunit_dir"); then
	for stem in "${stems[@]}"; do
		python3 "$kunit" parse <"$out/$stem.ktap" >"$out/$stem.kunit.txt" 2>&1 || true
		if grep -qE '\[ERROR\]|\[CRASHED\]|Traceback|could not find' "$out/$stem.kunit.txt"; then
			fail "$stem: the kernel's KTAP parser reports an error in $out/$stem.ktap (see $out/$stem.kunit.txt)"
		fi
		grep -q '^# first bad commit: ' "$out/$stem.ktap" || fail "$stem: $out/$stem.ktap names no culprit"
	done
else
	fail "cannot get the kernel's KTAP parser (scripts/lib/kunit-tool.sh)"
fi
rm -rf "$kunit_dir"
if [ $check_report -eq 1 ]; then
	# 77 (no Chromium) is a failure here: the e2e tests promise the check.
	"$here/../../tests/report/check-bisect-demo.sh" "$out" "${stems[@]}" ||
		fail "the HTML reports did not pass the browser check (tests/report/check-bisect-demo.sh; Chromium: scripts/install-deps.sh browser)"
fi
[ $ok -eq 1 ] || exit "$PH_EXIT_BAD"
echo "$name: OK: $ok_line"
exit "$PH_EXIT_GOOD"
