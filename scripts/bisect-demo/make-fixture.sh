#!/usr/bin/env bash
# Creates the bisect-demo kernel history (cached; a second run is instant):
#
#   base    Debian's linux-source-6.1 with openat2(2) backed out, so the
#           syscall returns ENOSYS -- the state before v5.6 in the real story
#   +N      small fs/ commits from scripts/bisect-demo/patches/ (git am), one of
#           which plants a pipe-mutex hang on the splice -> O_DIRECT path and a
#           later one of which adds openat2 back
#
# Nothing is downloaded: the source is /usr/src/linux-source-6.1.tar.xz.
# Commit hashes are deterministic (fixed author/committer identity and dates).
#
# Usage: scripts/bisect-demo/make-fixture.sh [--force]
#   --force   delete and recreate the fixture
# Prints the fixture path on the last line of stdout.
# Exit: 0 ok, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../kernel/env.sh"

force=0
case ${1:-} in
	"") ;;
	--force) force=1 ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "make-fixture: unknown argument '$1'" >&2; exit 2 ;;
esac

fixture=$PIPEHANG_BISECT_FIXTURE
shopt -s nullglob
patches=("$here"/patches/*.patch)
shopt -u nullglob
# The fixture is keyed by the patch series: a changed series is re-applied
# on the kept base (--force also recreates the base).
series_hash=$(cat "${patches[@]}" | sha256sum | cut -c1-16)

if [ $force -eq 0 ] && [ -f "$fixture/.git/pipehang-series" ] &&
   [ "$(cat "$fixture/.git/pipehang-series")" = "$series_hash" ]; then
	echo "make-fixture: $fixture is up to date ($(git -C "$fixture" rev-list --count HEAD) commits)" >&2
	echo "$fixture"
	exit 0
fi

export GIT_AUTHOR_NAME="pipehang fixture" GIT_AUTHOR_EMAIL="fixture@pipehang.invalid"
export GIT_COMMITTER_NAME="pipehang fixture" GIT_COMMITTER_EMAIL="fixture@pipehang.invalid"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
git_q() { git -c init.defaultBranch=master -c core.autocrlf=false -c gc.auto=0 "$@"; }

if [ -d "$fixture/.git" ] && git -C "$fixture" rev-parse -q --verify refs/tags/fixture-base >/dev/null; then
	# Keep the (slow to create) base and its build products; redo the series.
	echo "make-fixture: resetting $fixture to fixture-base"
	git_q -C "$fixture" checkout -q -f master
	git_q -C "$fixture" reset -q --hard fixture-base
else
	rm -rf "$fixture"
	mkdir -p "$(dirname "$fixture")"
	"$here/../kernel/unpack-source.sh" "$fixture"
	cd "$fixture"
	# Debian's packaging .gitignore ignores everything at the top level
	# ("/*" then "!/debian/"): drop that block or git would track nothing.
	sed -i '/^# Debian packaging: ignore everything at the top level/,$d' .gitignore
	sed -i -e :a -e '/^#\?$/{$d;N;ba' -e '}' .gitignore
	grep -qx '/\*' .gitignore && { echo "make-fixture: could not drop the Debian block from .gitignore" >&2; exit 1; }

	# openat2 absent: no sys_openat2 definition, so the syscall table slot
	# falls back to sys_ni_syscall (ENOSYS) through a weak COND_SYSCALL.
	perl -0pi -e 's/\n+SYSCALL_DEFINE4\(openat2,.*?\n\}\n/\n/s or die "fs/open.c: openat2 not found\n"' fs/open.c
	perl -0pi -e 's{COND_SYSCALL\(io_setup\);}{/* fs/open.c */\nCOND_SYSCALL(openat2);\n\nCOND_SYSCALL(io_setup);} or die "kernel/sys_ni.c: anchor not found\n"' kernel/sys_ni.c
	grep -q "SYSCALL_DEFINE4(openat2" fs/open.c && { echo "make-fixture: openat2 still defined" >&2; exit 1; }
	echo "make-fixture: creating the base commit (git add of ~80k files)"
	git_q init -q .
	git_q add -A .
	git_q commit -q -m "linux-source-6.1 (Debian) without openat2(2): fixture base

Debian's linux-source-6.1 tarball, unchanged except that the openat2(2)
system call is backed out: sys_openat2 is not defined and the syscall
returns ENOSYS, as on every kernel before v5.6."
	git_q tag fixture-base
	cd - >/dev/null
fi

cd "$fixture"
echo "make-fixture: applying ${#patches[@]} commits"
# --committer-date-is-author-date: deterministic hashes from the patches' dates.
[ ${#patches[@]} -eq 0 ] || git_q am -q --committer-date-is-author-date "${patches[@]}"
git_q tag -f fixture-tip >/dev/null
echo "$series_hash" >.git/pipehang-series
echo "make-fixture: $fixture: fixture-base..fixture-tip, $(git rev-list --count fixture-base..HEAD) commits" >&2
echo "$fixture"
