#!/usr/bin/env bash
# The kernel build cache's rules (scripts/kernel/build-cache.sh), on a small
# git tree with stand-in build results -- no kernel build, a few seconds:
#  - a clean checkout's results are kept and come back byte for byte, with
#    an mtime of 1970 (so the next real build relinks);
#  - another tree, another .config, or a dirty checkout is never served a
#    kept build;
#  - a build with loadable modules of its own is not kept;
#  - at most PIPEHANG_BUILD_CACHE_MAX builds are kept; 0 turns it off.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/pipehang-buildcache-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PIPEHANG_CACHE=$work/cache
source "$here/../../scripts/kernel/env.sh"
source "$here/../../scripts/kernel/build-cache.sh"
fails=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}

cd "$work" && mkdir tree && cd tree
git init -q . && git config user.email t@t && git config user.name t
printf '/vmlinux\n/System.map\n/Module.symvers\n/arch/x86/boot/bzImage\n/.config\n/modules.order\n' >.gitignore
echo 'int a;' >a.c && git add -A && git commit -qm one
echo 'CONFIG_A=y' >.config
# What kbuild generates from the Makefile's version and LOCALVERSION.
mkdir -p include/config && echo '6.1.192-pipehang' >include/config/kernel.release
log=pipehang-build.log
not_restored() { ! build_cache_restore; }
fake_build() { # stand-in results that name the source they came from
	mkdir -p arch/x86/boot
	for f in vmlinux arch/x86/boot/bzImage Module.symvers System.map; do
		{ echo "$f"; cat a.c .config; } >"$f"
	done
}

build_cache_key
check "a clean checkout has a cache key" test -n "$build_cache_dir"
check "nothing is kept yet" not_restored
fake_build
build_cache_store
one_dir=$build_cache_dir
check "a build is kept" test -f "$one_dir/complete"
rm -f vmlinux arch/x86/boot/bzImage Module.symvers System.map
build_cache_key
check "the same tree and config give the same key" test "$build_cache_dir" = "$one_dir"
check "restore succeeds" build_cache_restore
check "vmlinux comes back byte for byte" cmp -s vmlinux "$one_dir/vmlinux"
check "the bzImage comes back" test -s arch/x86/boot/bzImage
check "restored files are dated 1970" test "$(stat -c %Y vmlinux)" = 0
check "the build log says where it came from" grep -q "restored from the build cache" "$log"

# A kept build of another release is not given back over generated
# headers of the last real build's release (utsrelease.h: pipewatch.ko's
# vermagic); the same release is.
mv include/config/kernel.release include/config/kernel.release.was
echo '6.2.0-pipehang' >include/config/kernel.release
check "a kept build of another release is not restored over these headers" not_restored
check "the log says why" grep -q "not restored: the tree's generated headers are of release 6.2.0-pipehang" "$log"
mv include/config/kernel.release.was include/config/kernel.release
check "the same release is restored" build_cache_restore

echo 'CONFIG_A=n' >.config
build_cache_key
check "another .config, another key" test "$build_cache_dir" != "$one_dir"
check "another .config is not served" not_restored
check "another .config: nothing to restore" test ! -f "$build_cache_dir/complete"
echo 'CONFIG_A=y' >.config

echo 'int b;' >>a.c
build_cache_key
check "a dirty checkout has no key" test -z "$build_cache_dir"
git commit -qam two
build_cache_key
check "another tree, another key" test -n "$build_cache_dir" -a "$build_cache_dir" != "$one_dir"
check "another tree: nothing to restore" test ! -f "$build_cache_dir/complete"

echo drivers/x.ko >modules.order
fake_build
build_cache_store
check "a build with modules of its own is not kept" test ! -e "$build_cache_dir"
rm -f modules.order

export PIPEHANG_BUILD_CACHE_MAX=2
for i in 3 4 5; do
	echo "int c$i;" >>a.c && git commit -qam "$i"
	build_cache_key && fake_build && build_cache_store
	sleep 1
done
kept=$(find "$PIPEHANG_CACHE/kernel-builds" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l)
check "at most PIPEHANG_BUILD_CACHE_MAX builds are kept ($kept)" test "$kept" = 2
check "the newest build is kept" test -f "$build_cache_dir/complete"

PIPEHANG_BUILD_CACHE=0 build_cache_key
check "PIPEHANG_BUILD_CACHE=0 turns it off" test -z "$build_cache_dir"

[ $fails -eq 0 ] && echo "build-cache: all checks passed"
exit $((fails > 0))
