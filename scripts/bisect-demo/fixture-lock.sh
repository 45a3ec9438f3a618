# Sourced by everything that uses the bisect fixture tree (demo.sh, the
# git-bisect-run test, the source-tree module build check): one user at a
# time per cache, since two bisections checking out commits in the same
# tree break each other (git index.lock, mixed builds).
#   lock_fixture WHO   holds the lock on fd 9 (waiting at most 25 min) and
#                      sets $fixture to the tree (made or reused by
#                      make-fixture.sh); returns 1 with a message on stderr
#                      when the lock stays taken or there is no tree.
# shellcheck source=../kernel/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../kernel/env.sh"

# clear_killed_holder WHO TREE: with the lock held no other git command can
# be running in TREE, so an index.lock or a half-done `git am` there is what
# a killed holder left (Ctrl-C in a demo, make test stopping its background
# prebuild); either would fail every later checkout.
clear_killed_holder() {
	local who=$1 git_dir=$2/.git
	[ -d "$git_dir" ] || return 0
	if [ -e "$git_dir/index.lock" ]; then
		echo "$who: removing $git_dir/index.lock left by a killed fixture user"
		rm -f "$git_dir/index.lock"
	fi
	if [ -d "$git_dir/rebase-apply" ]; then
		echo "$who: aborting the 'git am' a killed fixture user left in $2"
		git -C "$2" am --abort >/dev/null 2>&1 || rm -rf "$git_dir/rebase-apply"
	fi
}

# bisection_in_progress TREE: true when a git bisection was left running in
# TREE (it is its user's: nothing may move its HEAD or build under it).
bisection_in_progress() {
	local start
	start=$(git -C "$1" rev-parse --git-path BISECT_START)
	[[ $start == /* ]] || start=$1/$start # relative to the tree
	[ -e "$start" ]
}

lock_fixture() {
	local who=$1
	mkdir -p "$PIPEHANG_CACHE"
	exec 9>"$PIPEHANG_CACHE/bisect-demo.lock"
	if ! flock -n 9; then
		echo "$who: another user of the bisect fixture holds it; waiting (at most 25 min)"
		flock -w 1500 9 || { echo "$who: the bisect fixture stayed locked for 25 min" >&2; return 1; }
	fi
	clear_killed_holder "$who" "$PIPEHANG_BISECT_FIXTURE"
	fixture=$("$(dirname "${BASH_SOURCE[0]}")/make-fixture.sh" | tail -n 1)
	[ -d "$fixture/.git" ] || { echo "$who: make-fixture.sh gave no fixture tree ($fixture)" >&2; return 1; }
}
