#!/usr/bin/env bash
# build-kernel.sh --result-file: the result as data, for every way the
# script ends, on a stand-in tree whose Makefile fakes the kernel's targets
# -- no kernel build, a few seconds. The oracle reads this file (status,
# the options the oracle needs that are missing) instead of the script's
# messages; the exit statuses stay those the script documents.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$here/../../scripts/kernel/build-kernel.sh
required=$here/../../harness/kernel-config/required.config
work=$(mktemp -d /tmp/pipehang-buildresult-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
export PIPEHANG_CACHE=$work/cache
fails=0
check() { # check DESCRIPTION COMMAND...
	if "${@:2}"; then echo "ok: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi
}
has() { grep -qxF -- "$2" "$1"; } # has FILE LINE
build() { # build EXPECTED-EXIT ARGS...: runs the script, checks its exit
	local want=$1 rc=0
	shift
	"$script" "$@" >"$work/out" 2>&1 || rc=$?
	check "exit $want for: $*" test "$rc" = "$want"
}

# A stand-in kernel tree: what the script checks, and make targets that
# pretend (FAIL=1 makes the build fail).
mkdir -p "$work/tree/arch/x86" && cd "$work/tree"
# `all` and `modules_prepare` also leave what an out-of-tree module build
# needs (the generated config, modpost); modules_prepare notes it ran.
cat >Makefile <<'MK'
olddefconfig:
	@true
prepared:
	@mkdir -p scripts/mod include/config
	@printf '#!/bin/sh\n' >scripts/mod/modpost && chmod +x scripts/mod/modpost
	@cp .config include/config/auto.conf
all: prepared
	@test -z "$(FAIL)" || { echo "error: asked to fail"; exit 1; }
	@mkdir -p arch/x86/boot
	@for f in vmlinux arch/x86/boot/bzImage Module.symvers System.map; do echo stand-in >$$f; done
modules_prepare: prepared
	@echo ran >modules-prepared
MK
cp "$required" "$work/good.config"
grep -v '^CONFIG_VIRTIO_BLK=' "$required" >"$work/lacking.config"
r=$work/result

build 2 --result-file "$r"
check "no TREE: status=usage" has "$r" "status=usage"
check "no TREE: exit=2" has "$r" "exit=2"
build 2 --result-file "$r" "$work/nope"
check "not a kernel tree: status=usage" has "$r" "status=usage"

build 3 --config "$work/lacking.config" --result-file "$r" "$work/tree"
check "config lacking an option: status=config-unusable" has "$r" "status=config-unusable"
check "config lacking an option: exit=3" has "$r" "exit=3"
check "the missing option is named, with what it is now" \
	has "$r" "missing=CONFIG_VIRTIO_BLK=y (is: )"
check "only the missing option" test "$(grep -c '^missing=' "$r")" = 1
check "the build log is named" has "$r" "log=$work/tree/pipehang-build.log"

build 0 --config "$work/good.config" --result-file "$r" "$work/tree"
check "a build: status=built" has "$r" "status=built"
check "a build: exit=0" has "$r" "exit=0"
check "a build: nothing missing" test "$(grep -c '^missing=' "$r")" = 0

FAIL=1 build 1 --config "$work/good.config" --result-file "$r" "$work/tree"
check "a failed build: status=failed" has "$r" "status=failed"
check "a failed build: exit=1" has "$r" "exit=1"

# A clean git checkout built once comes back from the build cache.
git init -q . && git config user.email t@t && git config user.name t
printf '/vmlinux\n/System.map\n/Module.symvers\n/arch/x86/boot/\n/.config\n/.pipehang-*\n/pipehang-*.log\n/scripts/\n/include/\n/modules-prepared\n' >.gitignore
git add -A && git commit -qm one
build 0 --config "$work/good.config" --result-file "$r" "$work/tree"
check "a clean checkout built: status=built" has "$r" "status=built"
build 0 --config "$work/good.config" --result-file "$r" "$work/tree"
check "built again: status=restored" has "$r" "status=restored"
check "restored: from where" grep -q "^restored_from=$PIPEHANG_CACHE/kernel-builds/" "$r"
check "restored into a built tree: no modules_prepare" test ! -e modules-prepared
# A tree never built (a fresh worktree of bisect --workers): restored, after
# modules_prepare made its generated config and modpost.
rm -rf scripts include
build 0 --config "$work/good.config" --result-file "$r" "$work/tree"
check "restored into a tree never built: status=restored" has "$r" "status=restored"
check "restored into a tree never built: modules_prepare ran first" test -e modules-prepared
check "restored into a tree never built: modpost is there" test -x scripts/mod/modpost
rm -f modules-prepared

# --icecc: ccache stays in front, the compiler environment is ICECC_VERSION
# when set (making one, icecc-create-env, is tests/kernel/icecc_build.sh's).
cat >"$work/tree/Makefile" <<'MK'
olddefconfig:
	@true
all:
	@echo "CC=$(CC) CCACHE_PREFIX=$$CCACHE_PREFIX ICECC_VERSION=$$ICECC_VERSION" >seen-by-make
	@mkdir -p arch/x86/boot
	@for f in vmlinux arch/x86/boot/bzImage Module.symvers System.map; do echo stand-in >$$f; done
MK
if command -v icecc >/dev/null && command -v ccache >/dev/null; then
	: >"$work/env.tar.gz"
	ICECC_VERSION=$work/env.tar.gz PIPEHANG_BUILD_CACHE=0 build 0 --icecc --config "$work/good.config" \
		--result-file "$r" "$work/tree"
	check "--icecc: make sees ccache first, icecc behind it, the given environment" \
		has "$work/tree/seen-by-make" "CC=ccache gcc CCACHE_PREFIX=icecc ICECC_VERSION=$work/env.tar.gz"
	ICECC_VERSION=$work/nope.tar.gz build 2 --icecc --config "$work/good.config" --result-file "$r" "$work/tree"
	check "--icecc, ICECC_VERSION not there: status=usage, named" \
		grep -q "ICECC_VERSION=$work/nope.tar.gz is not a readable file" "$work/out"
else
	echo "FAIL: --icecc: icecc or ccache not installed (scripts/install-deps.sh kernel-build)"
	fails=$((fails + 1))
fi
# icecc missing: bad input (2), named, before any work. A PATH of every
# command here but icecc's.
mkdir "$work/bin"
cmds=()
for f in /usr/bin/* /usr/sbin/*; do
	case ${f##*/} in icecc*|icerun) ;; *) cmds+=("$f") ;; esac
done
# One ln for them all (an ln each took 28 s on a busy machine); a name in
# both directories only once.
printf '%s\0' "${cmds[@]}" | sort -zut/ -k4,4 | xargs -0 ln -s -t "$work/bin"
PATH=$work/bin build 2 --icecc --config "$work/good.config" --result-file "$r" "$work/tree"
check "--icecc without icecc: status=usage" has "$r" "status=usage"
check "--icecc without icecc: the package named" \
	grep -q "icecc is not installed (Debian package icecc" "$work/out"

# A relative --result-file is the caller's, not the tree's.
cd "$work" && build 0 --config "$work/good.config" --result-file rel.result "$work/tree"
check "a relative --result-file is written where the caller is" test -s "$work/rel.result"
# Without --result-file nothing is written.
check "the tree holds no result file" test ! -e "$work/tree/rel.result"

[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
