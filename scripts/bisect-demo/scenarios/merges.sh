# shellcheck shell=bash disable=SC2034,SC2016 # (a table: demo.sh and make-history.sh read the names; $x in jq)
# merges -- `make bisect-demo-merges`: the real bug on a merge-heavy history
# The replay patches on topic branches merged into a mainline with
# release-like tags (the way kernel history really looks), bisected from
# the range a user would give, merges-v5.5..merges-v5.6, two ways:
#
#  1. `pipehang bisect --mode syzbot`: merges-v5.5 looks good (no openat2),
#     and git's engine lands on "Merge branch 'open'", the merge that brings
#     openat2 to the culprit: a merge culprit whose second side brought the
#     reproducer's entry point. The false-culprit check (reading the commits
#     the merge brings in) fires and the re-bisection in pipehang's mode
#     finds the good end bad, searches back to tag merges-v5.4 and finds the
#     culprit on its topic branch;
#  2. `pipehang bisect` in its default mode: the same search and culprit,
#     verified by reverting it on the bad end.
# --no-verify skips the revert check of the syzbot-mode run (the default
# mode always verifies).

name=bisect-demo-merges
title="the real bug on a merge-heavy history"

# The history (make-history.sh): 13 commits, 3 merges, on fixture-base:
#   merges-main  fixture-base - pipe comment - Merge 'iter' - ext4 comment
#                (tag merges-v5.4) - Merge 'splice' (tag merges-v5.5)
#                - Merge 'open' - pipe comment (tag merges-v5.6)
#   merges-iter    from the pipe comment: iov_iter comment, the latent
#                  bvec-iterator change (harmless alone)
#   merges-splice  from merges-v5.4: splice comment, THE CULPRIT ("splice:
#                  simplify building the bvec array ..."), namei comment
#   merges-open    from merges-v5.4: read_write kernel-doc, "open: introduce
#                  openat2(2) syscall" (the reproducer's entry point)
# So in syzbot mode (openat2 only, ENOSYS = clean) the first bad commit is
# "Merge branch 'open'", the merge that brings the culprit and openat2
# together; pipehang's mode finds the culprit on its topic branch.
patches=replay
history=$(cat <<'EOF'
branch merges-main fixture-base
am 0001
branch merges-iter merges-main
am 0002
am 0003 # the latent change
checkout merges-main
merge merges-iter iter 2026-03-04T06:00:00Z
am 0004
tag merges-v5.4
branch merges-splice merges-v5.4
am 0005
am 0006 # the culprit
am 0007
branch merges-open merges-v5.4
am 0008
am 0009 # openat2
checkout merges-main
merge merges-splice splice 2026-03-07T18:00:00Z
tag merges-v5.5
merge merges-open open 2026-03-09T18:00:00Z
am 0010
tag merges-v5.6
EOF
)

good=merges-v5.5 bad=merges-v5.6
# One bisection a line: the name of its log/json files, its --mode
# (default: no --mode). --no-verify applies to the runs in no_verify.
runs=("syzbot syzbot" "default default")
no_verify=(syzbot)

# The expected results. jq sees these as $merge and $culprit.
jq_args=(--arg merge "Merge branch 'open'"
	--arg culprit "splice: simplify building the bvec array in iter_file_splice_write()")
checks() {
	expect_json syzbot '.first.culprit.subject == $merge' "syzbot mode did not blame the merge that brings openat2 in"
	expect_json syzbot '.first.merge.entry_points[0].name == "openat2"' \
		"the merge culprit does not say openat2 arrives through it"
	expect_json syzbot '[.first.merge.parents[].verdict] == ["good", "good"]' "the merge's parents are not both good"
	expect_json syzbot '[.first.false_culprit[] | select(test("merge that brings in the syscall openat2"))] | length > 0' \
		"the false-culprit check did not read what the merge brings in"
	expect_json syzbot '.rebisect.culprit.subject == $culprit' "the re-bisection did not find the culprit on its topic branch"
	expect_json default '.first.culprit.subject == $culprit' "default mode did not find the culprit"
	expect_json default '.first.good_end_was_bad == true and .first.found_good.tag == "merges-v5.4"' \
		"default mode did not find the good end bad and search back to merges-v5.4"
	expect_json default '.first.verification == "confirmed"' "the culprit's revert did not check out"
	expect_log default '^(Bisecting|Multisecting): ' "" "no bisection progress line in the log (git's, or a multisection's over git's candidates)"
	expect_no_bisection
}

# What the demo prints after the bisections.
results() {
	echo "syzbot mode, first bisection: $(first_bad syzbot .first)"
	echo "syzbot mode, after the false-culprit check: $(first_bad syzbot '(.rebisect // {})')"
	echo "default mode: $(first_bad default .first)"
}
log_lines='^(Bisecting:|merge culprit|good end .* is bad|found good|culprit verification|false-culprit check|revisions tested)'
notes=()
ok_line="syzbot mode blames the merge bringing openat2 in; pipehang finds the culprit on its topic branch, confirmed by its revert"
