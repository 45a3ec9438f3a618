#!/usr/bin/env bash
# Bad input to `pipehang oracle` / `pipehang bisect`: each case must exit
# with the documented status and name the bad input. The oracle's errors are
# error (128: git bisect run aborts), never 1 (which git would read as "bad").
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib/exit-status.sh"
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

expect "$PH_EXIT_ERROR" "--kernel $tmp/nope: not a kernel source tree" -- "$ph" oracle --kernel "$tmp/nope"
expect "$PH_EXIT_ERROR" "--mode 'fast'" -- "$ph" oracle --mode fast --kernel "$tmp"
expect "$PH_EXIT_ERROR" "--runs: 'x' is not a whole number" -- "$ph" oracle --runs x --kernel "$tmp"
expect "$PH_EXIT_ERROR" "unexpected argument(s): --frobnicate" -- "$ph" oracle --frobnicate
expect "$PH_EXIT_ERROR" "--runs" -- "$ph" oracle --runs
# A directory holding only a Makefile is no kernel tree: an error, never a
# skip (git bisect run would skip every commit).
mkdir -p "$tmp/m" && touch "$tmp/m/Makefile"
expect "$PH_EXIT_ERROR" "--kernel $tmp/m: not a kernel source tree" -- "$ph" oracle --build --kernel "$tmp/m"
# A stand-in kernel tree (what the tree check reads) that is not built and
# not asked to be built: an error, not a verdict.
mkdir -p "$tmp/k/arch/x86" && printf 'VERSION = 6\nPATCHLEVEL = 1\n' >"$tmp/k/Makefile" && touch "$tmp/k/Kconfig"
expect "$PH_EXIT_ERROR" "is not built (no vmlinux); pass --build" -- "$ph" oracle --kernel "$tmp/k"

expect "$PH_EXIT_USAGE" "--tree $tmp/nope: no such directory" -- "$ph" bisect --tree "$tmp/nope" --good a --bad b
expect "$PH_EXIT_USAGE" "not a git work tree" -- "$ph" bisect --tree "$tmp" --good a --bad b
git init -q "$tmp/g" && cp -r "$tmp/k/." "$tmp/g/" && git -C "$tmp/g" add . &&
	git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -q -m one
expect "$PH_EXIT_USAGE" "--mode 'fast'" -- "$ph" bisect --tree "$tmp/g" --good HEAD --bad HEAD --mode fast
echo x >"$tmp/g/f" && git -C "$tmp/g" add f && git -C "$tmp/g" -c user.name=t -c user.email=t@t commit -q -m two
echo y >"$tmp/g/f"
expect "$PH_EXIT_USAGE" "has uncommitted changes (f)" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD
git -C "$tmp/g" checkout -q f
expect "$PH_EXIT_USAGE" "unknown revision nope" -- "$ph" bisect --tree "$tmp/g" --good nope --bad HEAD
# Impossible ranges are usage errors, never "no culprit".
expect "$PH_EXIT_USAGE" "is newer than --bad HEAD~1" -- "$ph" bisect --tree "$tmp/g" --good HEAD --bad HEAD~1
expect "$PH_EXIT_USAGE" "are the same commit" -- "$ph" bisect --tree "$tmp/g" --good HEAD --bad HEAD
expect "$PH_EXIT_USAGE" "--search-back" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --search-back -1
expect "$PH_EXIT_USAGE" "--search-back" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --search-back x
expect "$PH_EXIT_USAGE" "--good is required with --search-back 0" -- "$ph" bisect --tree "$tmp/g" --bad HEAD --search-back 0
expect "$PH_EXIT_USAGE" "--tag-pattern ''" -- "$ph" bisect --tree "$tmp/g" --bad HEAD --tag-pattern ''
expect "$PH_EXIT_USAGE" "--bad is required" -- "$ph" bisect --tree "$tmp/g" --good HEAD
expect "$PH_EXIT_USAGE" "--config $tmp/nope: not a readable file" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --config "$tmp/nope"
expect "$PH_EXIT_USAGE" "--fragment $tmp: not a readable file" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --fragment "$tmp"
# --icecc with no icecc: refused before any git or build work. A PATH of
# every command here but icecc's (one ln for them all).
mkdir "$tmp/bin" && cmds=()
for f in /usr/bin/* /usr/sbin/*; do case ${f##*/} in icecc*|icerun) ;; *) cmds+=("$f") ;; esac; done
printf '%s\0' "${cmds[@]}" | sort -zut/ -k4,4 | xargs -0 ln -s -t "$tmp/bin"
expect "$PH_EXIT_ERROR" "--icecc: icecc is not installed (Debian package icecc" -- \
	env PATH="$tmp/bin" "$ph" oracle --build --icecc --kernel "$tmp/k"
expect "$PH_EXIT_USAGE" "--icecc: icecc is not installed (Debian package icecc" -- \
	env PATH="$tmp/bin" "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD --icecc
# Someone's own git bisection in the tree: refused, and left as it was.
git -C "$tmp/g" bisect start HEAD HEAD~1 >/dev/null 2>&1
before=$(git -C "$tmp/g" bisect log)
expect "$PH_EXIT_USAGE" "a git bisection is already in progress" -- "$ph" bisect --tree "$tmp/g" --good HEAD~1 --bad HEAD
[ "$(git -C "$tmp/g" bisect log)" = "$before" ] || { echo "FAIL: the user's bisection was disturbed"; fail=1; }
git -C "$tmp/g" bisect reset >/dev/null 2>&1

expect "$PH_EXIT_ERROR" "--config applies to a build: pass --build too" -- "$ph" oracle --kernel "$tmp/k" --config "$tmp/k/Makefile"
expect "$PH_EXIT_ERROR" "--config $tmp/nope: not a readable file" -- "$ph" oracle --build --kernel "$tmp/k" --config "$tmp/nope"

# A user's config without what the oracle needs (virtio-blk and ext4 as
# modules, like a distro's): a usage error naming the options, checked after
# configuration -- never a skip of every revision. A stand-in kernel tree
# whose olddefconfig keeps .config as it is reaches that check in seconds.
ft=$tmp/ft
mkdir -p "$ft/arch/x86" && touch "$ft/Kconfig"
printf '%s\n' 'VERSION = 6' 'PATCHLEVEL = 1' 'olddefconfig tinyconfig:' '	@true' 'all:' '	@false' >"$ft/Makefile"
grep '^CONFIG_' "$(dirname "$0")/../../harness/kernel-config/required.config" |
	sed 's/^CONFIG_VIRTIO_BLK=y/CONFIG_VIRTIO_BLK=m/; s/^CONFIG_EXT4_FS=y/CONFIG_EXT4_FS=m/' >"$tmp/distro.config"
build_kernel=$(dirname "$0")/../../scripts/kernel/build-kernel.sh
expect 3 "CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m)" -- "$build_kernel" --config "$tmp/distro.config" "$ft"
expect "$PH_EXIT_ERROR" "lacks what the oracle needs: CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m)" -- "$ph" oracle --build --kernel "$ft" --config "$tmp/distro.config"
git -C "$ft" init -q && git -C "$ft" add Makefile Kconfig && git -C "$ft" -c user.name=t -c user.email=t@t commit -q -m one &&
	git -C "$ft" -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
printf '%s\n' '.config' '.pipehang-fragment' 'pipehang-*.log' >"$ft/.git/info/exclude"
expect "$PH_EXIT_USAGE" "CONFIG_EXT4_FS=y (is: CONFIG_EXT4_FS=m)" -- "$ph" bisect --tree "$ft" --good HEAD~1 --bad HEAD --config "$tmp/distro.config"
# With everything the oracle needs, the config passes and the (stand-in) build runs: exit 1, a skip.
grep '^CONFIG_' "$(dirname "$0")/../../harness/kernel-config/required.config" >"$tmp/full.config"
expect 1 "build FAILED" -- "$build_kernel" --config "$tmp/full.config" "$ft"
exit $fail
