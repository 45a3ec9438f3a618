#!/usr/bin/env bash
# The bisect fixture's lock and its background preparation, without a
# kernel, in seconds:
#  - clear_killed_holder (fixture-lock.sh) removes what a killed holder of
#    the lock leaves in a tree -- an index.lock, a half-applied `git am` --
#    so that the next checkout works; a clean tree is left as it is;
#  - prebuild.sh and make-test.sh refuse bad arguments with exit 2 before
#    touching the fixture or building anything.
# Exit: 0 pass, 1 fail.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/pipehang-fixture-lock.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { local what=$1; shift; if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi; }

export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t.invalid GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t.invalid
repo=$tmp/tree
git init -q "$repo" && printf 'one\n' >"$repo/f" && git -C "$repo" add f && git -C "$repo" commit -qm one
# A patch that cannot apply (its context is not in the tree): `git am` stops
# half-done and leaves .git/rebase-apply, as a killed one would.
cat >"$tmp/bad.patch" <<'P'
From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: t <t@t.invalid>
Date: Thu, 1 Jan 2026 00:00:00 +0000
Subject: [PATCH] two

---
 f | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/f b/f
--- a/f
+++ b/f
@@ -1 +1 @@
-not in the tree
+two
P
git -C "$repo" am -q "$tmp/bad.patch" >/dev/null 2>&1
check "the failed git am left rebase-apply" test -d "$repo/.git/rebase-apply"
: >"$repo/.git/index.lock"
check "a checkout fails with the leftovers" bash -c "! git -C '$repo' checkout -q -b x 2>/dev/null"

# shellcheck source=../../scripts/bisect-demo/fixture-lock.sh
source "$root/scripts/bisect-demo/fixture-lock.sh"
out=$(clear_killed_holder test "$repo")
check "index.lock removed" test ! -e "$repo/.git/index.lock"
check "the half-done git am aborted" test ! -d "$repo/.git/rebase-apply"
said_both() { grep -q index.lock <<<"$out" && grep -q "git am" <<<"$out"; }
check "both said so" said_both
check "a checkout works again" git -C "$repo" checkout -q -b y
out=$(clear_killed_holder test "$repo")
check "a clean tree: nothing said, nothing done" test -z "$out"
check "a tree that is not there: nothing done" clear_killed_holder test "$tmp/none"

status() { "$@" >/dev/null 2>&1; echo $?; }
export PIPEHANG_CACHE=$tmp/cache # a run that got past its checks would show here
check "prebuild.sh ARG exits 2" test "$(status "$root/scripts/bisect-demo/prebuild.sh" extra)" = 2
check "prebuild.sh PREBUILD_BUILD_SECONDS=soon exits 2" \
	test "$(PREBUILD_BUILD_SECONDS=soon status "$root/scripts/bisect-demo/prebuild.sh")" = 2
check "make-test.sh with no arguments exits 2" test "$(status "$root/scripts/make-test.sh")" = 2
check "make-test.sh JOBS=0 exits 2" test "$(status "$root/scripts/make-test.sh" "$tmp/b" 0 2)" = 2
check "make-test.sh TEST_JOBS=x exits 2" test "$(status "$root/scripts/make-test.sh" "$tmp/b" 2 x)" = 2
check "none of them touched the cache or made a build dir" test ! -e "$PIPEHANG_CACHE" -a ! -e "$tmp/b"

[ $fails -eq 0 ] && echo "fixture_lock_test: all passed" || { echo "fixture_lock_test: $fails failed"; exit 1; }
