#!/usr/bin/env bash
# Creates the replay history of the real bug on the bisect fixture tree
# (cached; a second run is instant), as branch `replay` from fixture-base:
#
#   fixture-base  linux-source-6.1 without openat2 (make-fixture.sh)
#   + replay/*.patch in the order of replay/series, with release-like tags:
#     replay-v5.4   after a latent bvec-iterator change (harmless alone)
#     replay-v5.5   after the real culprit (empty pipe buffers reach the
#                   iterator): the "good" end syzbot would give, really bad
#     replay-v5.6   after openat2 comes back (the enabler): the bad end
#
# Nothing is downloaded. Hashes are deterministic (the patches' dates and a
# fixed identity). Must run with the fixture lock held (fixture-lock.sh) by
# a caller that already set $fixture, or alone: it then takes the lock.
#
# Usage: scripts/bisect-demo/make-replay.sh [--force]
#   --force   recreate the replay branch and its tags
# Prints the fixture path on the last line of stdout.
# Exit: 0 ok, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

force=0
case ${1:-} in
	"") ;;
	--force) force=1 ;;
	-h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "make-replay: unknown argument '$1'" >&2; exit 2 ;;
esac

# A caller holding the lock passes the tree as fixture=DIR in the environment.
if [ -z "${fixture:-}" ]; then
	source "$here/fixture-lock.sh"
	lock_fixture make-replay || exit 1
fi
series=$here/replay/series
hash=$(cat "$series" "$here"/replay/*.patch | sha256sum | cut -c1-16)
stamp=$fixture/.git/pipehang-replay
if [ $force -eq 0 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ] &&
   git -C "$fixture" rev-parse -q --verify refs/tags/replay-v5.6 >/dev/null; then
	echo "make-replay: replay history in $fixture is up to date" >&2
	echo "$fixture"
	exit 0
fi

export GIT_AUTHOR_NAME="pipehang fixture" GIT_AUTHOR_EMAIL="fixture@pipehang.invalid"
export GIT_COMMITTER_NAME="pipehang fixture" GIT_COMMITTER_EMAIL="fixture@pipehang.invalid"
git_q() { git -C "$fixture" -c core.autocrlf=false -c gc.auto=0 "$@"; }
git_q rev-parse -q --verify refs/tags/fixture-base >/dev/null ||
	{ echo "make-replay: $fixture has no fixture-base tag (run make-fixture.sh)" >&2; exit 1; }

echo "make-replay: creating branch replay on fixture-base"
git_q checkout -q -f -B replay fixture-base
n=0
while IFS= read -r line; do
	case $line in
	""|"#"*) ;;
	"tag "*) git_q tag -f "${line#tag }" >/dev/null ;;
	*.patch)
		[ -r "$here/replay/$line" ] || { echo "make-replay: $line (in replay/series) missing" >&2; exit 1; }
		# --committer-date-is-author-date: the same hashes on every machine.
		git_q am -q --committer-date-is-author-date "$here/replay/$line"
		n=$((n + 1)) ;;
	*) echo "make-replay: replay/series: cannot read '$line'" >&2; exit 1 ;;
	esac
done <"$series"
echo "$hash" >"$stamp"
echo "make-replay: $fixture: replay branch, $n commits, tags $(git_q tag -l 'replay-*' | tr '\n' ' ')" >&2
echo "$fixture"
