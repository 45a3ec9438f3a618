# shellcheck shell=bash disable=SC2034,SC2016 # (a table: demo.sh and make-history.sh read the names; $x in jq)
# planted -- `make bisect-demo-planted`: the first demo, a planted splice hang
# syzbot's false bisection replayed on make-fixture.sh's history
# (fixture-base..fixture-tip: 30 small fs/ commits, #11 plants a pipe-mutex
# hang on the splice -> O_DIRECT path, #23 adds openat2 back), then done
# right:
#
#  `pipehang bisect --mode syzbot`: reproducer entry openat2 only, ENOSYS
#  counted as a clean run -> blames "open: introduce openat2(2) syscall";
#  the false-culprit check fires and pipehang bisects again in its default
#  mode (entry fallback, not exercised = skip) -> finds the planted bug.
# Prints both results, both timings, and syzbot's figures beside them.
# --no-verify skips the culprit-revert verification (faster; the e2e test).

name=bisect-demo
title="the planted bug"

# The history is make-fixture.sh's (tags fixture-base, fixture-tip): no steps.
patches=patches
history=""

good=fixture-base bad=fixture-tip
# One bisection a line: the name of its log/json files (bench/bisect.sh
# reads bisect.json), its --mode. --no-verify applies to the runs in no_verify.
runs=("bisect syzbot")
no_verify=(bisect)

# The expected results: the first line of the log that says each mode's
# culprit names it.
jq_args=()
checks() {
	expect_log bisect '^syzbot mode: ' "open: introduce openat2(2) syscall" \
		"syzbot mode did not blame the openat2 commit"
	expect_log bisect '^pipehang mode: ' "splice: don't block on the filesystem with the pipe lock held" \
		"pipehang mode did not find the planted bug"
}

# What the demo prints after the bisection.
results() {
	log_line bisect '^syzbot mode: ' || echo "syzbot mode: no result"
	log_line bisect '^pipehang mode: ' || echo "pipehang mode: no result"
}
log_lines='^(=== |first bad commit|culprit verification|WARNING|revisions tested|false-culprit check)'
notes=("syzbot, for the real bug: 23 revisions, 5h52m (build 2h27m, test 3h22m), blamed openat2")
ok_line="syzbot mode blames openat2, pipehang finds the planted bug"
