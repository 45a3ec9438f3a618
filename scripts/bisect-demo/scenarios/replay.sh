# shellcheck shell=bash disable=SC2034,SC2016 # (a table: demo.sh and make-history.sh read the names; $x in jq)
# replay -- `make bisect-demo`: the real bug replayed, wrong and right
# The real history of the pipe_release hang replayed on a local kernel
# history (branch `replay` on fixture-base) and bisected two ways from the
# range a user would give, replay-v5.5..replay-v5.6:
#
#  1. `pipehang bisect --mode syzbot`: reproducer entry openat2 only, ENOSYS
#     counted as a clean run. replay-v5.5 looks good (no openat2), so it
#     blames "open: introduce openat2(2) syscall" -- syzbot's answer. The
#     false-culprit check fires and pipehang bisects again with the
#     fallback entry: the good end is bad, the search goes back to
#     replay-v5.4, and the bisection finds the real culprit;
#  2. `pipehang bisect` in its default mode: finds the good end bad at once,
#     searches back, finds the culprit and verifies it by reverting it on
#     the bad end.
# Then prints both results next to syzbot's real figures. --no-verify skips
# the revert check of the syzbot-mode run (the default mode always verifies:
# that is its point).

name=bisect-demo
title="the real bug, replayed"

# The history (make-history.sh), on fixture-base (linux-source-6.1 without
# openat2). The real story it plays (see docs/bisect.md):
#   v4.8  1bdc76aea115 bvec walk that cannot step over an empty bvec (latent)
#   v5.5  a194dfe6e6f6 the change that lets an empty pipe buffer reach it
#   v5.6  openat2(2), the reproducer's entry point (syzbot's false culprit)
patches=replay
history=$(cat <<'EOF'
branch replay fixture-base
am 0001-pipe-spell-out-it-will-in-the-slot-preallocation-com.patch
am 0002-iov_iter-say-why-one-walker-serves-iovec-and-kvec.patch
# the latent iterator change: harmless alone, splice skips empty buffers
am 0003-iov_iter-walk-bvecs-with-a-bvec_iter-in-iov_iter_ali.patch
am 0004-ext4-write-I-O-not-IO-in-the-ext4_unaligned_io-comme.patch
tag replay-v5.4
am 0005-splice-say-how-iter_file_splice_write-hands-buffers-.patch
# the real culprit: empty pipe buffers now reach the bvec walk
am 0006-splice-simplify-building-the-bvec-array-in-iter_file.patch
am 0007-namei-punctuate-the-symlink-resolution-history-comme.patch
# plays syzbot's v5.5: the good end a user would give, already bad
tag replay-v5.5
am 0008-fs-read_write-kernel-doc-Return-section-for-vfs_setp.patch
# the enabler: the reproducer's openat2 now works (syzbot blamed this)
am 0009-open-introduce-openat2-2-syscall.patch
am 0010-pipe-spell-out-is-not-in-the-ring-size-comment.patch
# the bad end
tag replay-v5.6
EOF
)

good=replay-v5.5 bad=replay-v5.6
# One bisection a line: the name of its log/json files, its --mode
# (default: no --mode). --no-verify applies to the runs in no_verify.
runs=("syzbot syzbot" "default default")
no_verify=(syzbot)

# The expected results. jq sees these as $openat2 and $culprit.
jq_args=(--arg openat2 "open: introduce openat2(2) syscall"
	--arg culprit "splice: simplify building the bvec array in iter_file_splice_write()")
checks() {
	expect_json syzbot '.first.culprit.subject == $openat2' "syzbot mode did not blame the openat2 commit"
	expect_json syzbot '(.first.false_culprit | length) > 0' "the false-culprit check did not fire in syzbot mode"
	expect_json syzbot '.rebisect.culprit.subject == $culprit' \
		"the re-bisection after the false-culprit check did not find the culprit"
	expect_json default '.first.culprit.subject == $culprit' "default mode did not find the culprit"
	expect_json default '.first.good_end_was_bad == true' "default mode did not find the given good end bad"
	expect_json default '.first.verification == "confirmed"' "the culprit's revert did not check out"
}

# What the demo prints after the bisections.
results() {
	echo "syzbot mode, first bisection: $(first_bad syzbot .first)"
	echo "syzbot mode, after the false-culprit check: $(first_bad syzbot '(.rebisect // {})')"
	echo "default mode: $(first_bad default .first)"
}
log_lines='^(good end .* is bad|found good|culprit verification|false-culprit check|revisions tested)'
notes=("syzbot, for the real bug: 23 revisions, 5h52m (build 2h27m, test 3h22m), from v5.5 (already bad)"
	"  to v5.6, blamed 'open: introduce openat2(2) syscall'; the real culprit a194dfe6e6f6 (v5.5-rc1)"
	"  lay outside the range it bisected")
ok_line="syzbot mode blames openat2; pipehang finds the good end bad, searches back and finds the culprit, confirmed by its revert"
