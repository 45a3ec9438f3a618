#!/bin/bash
# Host-side checks of the kmod/ sources (no VM):
#   build_check.sh build KERNEL_BUILD_DIR  kbuild against that tree/headers:
#                                          fails on any compiler warning
#   build_check.sh debian PIPEHANG SERIES [FLAVOUR]
#                                          the same against Debian's headers
#                                          for the newest SERIES (6.1, 6.12)
#                                          kernel of FLAVOUR (amd64, cloud, rt;
#                                          scripts/kernel/newest-debian.sh),
#                                          fetched as the harness does
#                                          (pipehang kbuild-dir)
#   build_check.sh fixture REPO_ROOT       the same against the bisect
#                                          fixture: a build tree made from
#                                          linux-source-6.1 (its lock held)
#   build_check.sh checkpatch              scripts/checkpatch.pl from Debian's
#                                          linux-source-6.1 tarball, every file
# Exit 77 (CTest skip) when the headers or the tarball are not installed.
set -u
src=$(cd "$(dirname "$0")/../../kmod" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pipewatch-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

case ${1:-} in
debian)
	ph=${2:?usage: build_check.sh debian PIPEHANG SERIES [FLAVOUR]}
	series=${3:?usage: build_check.sh debian PIPEHANG SERIES [FLAVOUR]}
	flavour=${4:-amd64}
	spec=$("$(dirname "$0")/../../scripts/kernel/newest-debian.sh" "$series" "$flavour") ||
		{ echo "FAIL: no Debian $series $flavour kernel in the apt archive (apt-get update?)"; exit 1; }
	kdir=$("$ph" kbuild-dir --kernel "$spec") ||
		{ echo "FAIL: cannot get the headers for Debian $spec (pipehang kbuild-dir)"; exit 1; }
	echo "Debian $spec: headers at $kdir"
	exec bash "$0" build "$kdir"
	;;
fixture)
	root=${2:?usage: build_check.sh fixture REPO_ROOT}
	# shellcheck source=../../scripts/bisect-demo/fixture-lock.sh
	source "$root/scripts/bisect-demo/fixture-lock.sh"
	lock_fixture build_check || { echo "FAIL: no bisect fixture to use"; exit 1; }
	[ -f "$fixture/Module.symvers" ] ||
		{ echo "FAIL: fixture $fixture is not built (bisect_demo_e2e builds it)"; exit 1; }
	bash "$0" build "$fixture"
	exit $?
	;;
build)
	kdir=${2:?usage: build_check.sh build KERNEL_BUILD_DIR}
	[ -e "$kdir/Makefile" ] || { echo "skip: no kernel build tree at $kdir"; exit 77; }
	cp -r "$src" "$work/kmod"
	make -C "$kdir" M="$work/kmod" modules >"$work/log" 2>&1
	rc=$?
	cat "$work/log"
	[ $rc = 0 ] || { echo "FAIL: build against $kdir failed (exit $rc)"; exit 1; }
	[ -f "$work/kmod/pipewatch.ko" ] || { echo "FAIL: no pipewatch.ko"; exit 1; }
	if grep -E 'warning:' "$work/log"; then
		echo "FAIL: compiler warnings against $kdir"
		exit 1
	fi
	echo "ok: pipewatch.ko built against $kdir without warnings"
	;;
checkpatch)
	tarball=/usr/src/linux-source-6.1.tar.xz
	[ -r $tarball ] || { echo "skip: $tarball not installed (package linux-source-6.1)"; exit 77; }
	tar -xJf $tarball -C "$work" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' ||
		{ echo "FAIL: cannot extract checkpatch.pl from $tarball"; exit 1; }
	cp=$(find "$work" -name checkpatch.pl | head -n 1)
	status=0
	for f in "$src"/*.c "$src"/*.h; do
		out=$(perl "$cp" --no-tree --terse -f "$f" 2>&1)
		if [ -n "$out" ]; then
			echo "$out"
			status=1
		fi
	done
	[ $status = 0 ] && echo "ok: checkpatch.pl: 0 errors, 0 warnings in kmod/"
	exit $status
	;;
*)
	echo "usage: build_check.sh build KERNEL_BUILD_DIR | debian PIPEHANG SERIES | fixture REPO_ROOT | checkpatch" >&2
	exit 2
	;;
esac
