#!/usr/bin/env bash
# Creates a merge-heavy history of the real bug on the bisect fixture tree
# (cached; a second run is instant): the replay patches (replay/*.patch)
# arranged on topic branches merged into a mainline with release-like tags,
# the way kernel history really looks:
#
#   merges-main  fixture-base - pipe comment - Merge 'iter' - ext4 comment
#                (tag merges-v5.4) - Merge 'splice' (tag merges-v5.5)
#                - Merge 'open' - pipe comment (tag merges-v5.6)
#   merges-iter    from the pipe comment: iov_iter comment, the latent
#                  bvec-iterator change (harmless alone)
#   merges-splice  from merges-v5.4: splice comment, THE CULPRIT ("splice:
#                  simplify building the bvec array ..."), namei comment
#   merges-open    from merges-v5.4: read_write kernel-doc, "open: introduce
#                  openat2(2) syscall" (the reproducer's entry point)
#
# So in syzbot mode (openat2 only, ENOSYS = clean) the first bad commit is
# "Merge branch 'open'", the merge that brings the culprit and openat2
# together; pipehang's mode finds the culprit on its topic branch. 13
# commits (3 merges). Nothing is downloaded; hashes are deterministic (the
# patches' dates, fixed identities, merges with fixed dates). Must run with
# the fixture lock held by a caller that set $fixture, or alone: it then
# takes the lock (fixture-lock.sh).
#
# Usage: scripts/bisect-demo/make-merges.sh [--force]
#   --force   recreate the merges-* branches and tags
# Prints the fixture path on the last line of stdout.
# Exit: 0 ok, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

force=0
case ${1:-} in
	"") ;;
	--force) force=1 ;;
	-h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "make-merges: unknown argument '$1'" >&2; exit 2 ;;
esac

if [ -z "${fixture:-}" ]; then
	source "$here/fixture-lock.sh"
	lock_fixture make-merges || exit 1
fi
hash=$(cat "$0" "$here"/replay/*.patch | sha256sum | cut -c1-16)
stamp=$fixture/.git/pipehang-merges
if [ $force -eq 0 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ] &&
   git -C "$fixture" rev-parse -q --verify refs/tags/merges-v5.6 >/dev/null; then
	echo "make-merges: merges history in $fixture is up to date" >&2
	echo "$fixture"
	exit 0
fi

export GIT_AUTHOR_NAME="pipehang fixture" GIT_AUTHOR_EMAIL="fixture@pipehang.invalid"
export GIT_COMMITTER_NAME="pipehang fixture" GIT_COMMITTER_EMAIL="fixture@pipehang.invalid"
git_q() { git -C "$fixture" -c core.autocrlf=false -c gc.auto=0 "$@"; }
git_q rev-parse -q --verify refs/tags/fixture-base >/dev/null ||
	{ echo "make-merges: $fixture has no fixture-base tag (run make-fixture.sh)" >&2; exit 1; }
# A bisection someone left in the tree is theirs: do not build under it.
[ ! -e "$(git_q rev-parse --git-path BISECT_START)" ] ||
	{ echo "make-merges: a git bisection is in progress in $fixture" >&2; exit 1; }

am() { # am NNNN: apply replay/NNNN-*.patch on the current branch
	local p
	p=$(ls "$here"/replay/"$1"-*.patch)
	# --committer-date-is-author-date: the same hashes on every machine.
	git_q am -q --committer-date-is-author-date "$p"
}
merge() { # merge BRANCH DATE: a real merge commit, with a fixed date
	GIT_AUTHOR_DATE=$2 GIT_COMMITTER_DATE=$2 git_q merge -q --no-ff -m "Merge branch '${1#merges-}'" "$1"
}
branch() { git_q checkout -q -f -B "$1" "$2"; }

echo "make-merges: creating branches merges-main, merges-iter, merges-splice, merges-open on fixture-base"
branch merges-main fixture-base
am 0001
branch merges-iter merges-main
am 0002
am 0003 # the latent change
git_q checkout -q -f merges-main
merge merges-iter "2026-03-04T06:00:00Z"
am 0004
git_q tag -f merges-v5.4 >/dev/null
branch merges-splice merges-v5.4
am 0005
am 0006 # the culprit
am 0007
branch merges-open merges-v5.4
am 0008
am 0009 # openat2
git_q checkout -q -f merges-main
merge merges-splice "2026-03-07T18:00:00Z"
git_q tag -f merges-v5.5 >/dev/null
merge merges-open "2026-03-09T18:00:00Z"
am 0010
git_q tag -f merges-v5.6 >/dev/null
echo "$hash" >"$stamp"
echo "make-merges: $fixture: $(git_q rev-list --count fixture-base..merges-v5.6) commits" \
     "($(git_q rev-list --merges --count fixture-base..merges-v5.6) merges), tags $(git_q tag -l 'merges-*' | tr '\n' ' ')" >&2
echo "$fixture"
