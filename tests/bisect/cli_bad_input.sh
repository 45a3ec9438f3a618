#!/usr/bin/env bash
# Bad input to `pipehang oracle` / `pipehang bisect`: each case must exit
# with the documented status and name the bad input. The oracle's errors are
# 128 (git bisect run aborts), never 1 (which git would read as "bad").
set -uo pipefail
ph=${1:?usage: cli_bad_input.sh PIPEHANG}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() { # expect STATUS NEEDLE -- CMD...
	local want=$1 needle=$2; shift 3
	local out rc
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" != "$want" ] || [[ $out != *"$needle"* ]]; then
		echo "FAIL: $* -> exit $rc (want $want), output: $out"
		fail=1
	else
		echo "ok: $* -> $rc"
	fi
}

expect 128 "--kernel $tmp/nope: not a kernel source tree" -- "$ph" oracle --kernel "$tmp/nope"
expect 128 "--mode 'fast'" -- "$ph" oracle --mode fast --kernel "$tmp"
expect 128 "--runs 'x'" -- "$ph" oracle --runs x --kernel "$tmp"
expect 128 "unexpected argument(s): --frobnicate" -- "$ph" oracle --frobnicate
expect 128 "--runs" -- "$ph" oracle --runs
# A tree that is not built and not asked to be built: an error, not a verdict.
mkdir -p "$tmp/k" && touch "$tmp/k/Makefile"
expect 128 "is not built (no vmlinux); pass --build" -- "$ph" oracle --kernel "$tmp/k"

expect 2 "--tree $tmp/nope: no such directory" -- "$ph" bisect --tree "$tmp/nope" --good a --bad b
expect 2 "not a git work tree" -- "$ph" bisect --tree "$tmp" --good a --bad b
git init -q "$tmp/g" && git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -q --allow-empty -m one
expect 2 "--mode 'fast'" -- "$ph" bisect --tree "$tmp/g" --good HEAD --bad HEAD --mode fast
echo x >"$tmp/g/f" && git -C "$tmp/g" add f && git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -q -m two
echo y >"$tmp/g/f"
expect 2 "has uncommitted changes (f)" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD
git -C "$tmp/g" checkout -q f
expect 2 "unknown revision nope" -- "$ph" bisect --tree "$tmp/g" --good nope --bad HEAD
expect 3 "is not an ancestor" -- "$ph" bisect --tree "$tmp/g" --good HEAD --bad HEAD~1
expect 2 "--search-back" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --search-back -1
expect 2 "--search-back" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --search-back x
expect 2 "--good is required with --search-back 0" -- "$ph" bisect --tree "$tmp/g" --bad HEAD --search-back 0
expect 2 "--tag-pattern ''" -- "$ph" bisect --tree "$tmp/g" --bad HEAD --tag-pattern ''
expect 2 "--bad is required" -- "$ph" bisect --tree "$tmp/g" --good HEAD
exit $fail
