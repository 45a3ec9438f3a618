#!/usr/bin/env bash
# Fault: pipewatch.ko does not build for the kernel. Runs pipehang on a copy
# of the sources whose kmod/ has a compile error: the verdict must be skip
# naming the build failure (never good/bad), without booting.
#   broken-module.sh PIPEHANG SOURCE_DIR ARGS...
set -uo pipefail
pipehang=$1
src=$2
shift 2
copy=$TMPDIR/src
mkdir -p "$copy/harness"
cp -r "$src/harness/guest" "$copy/harness/"
cp -r "$src/kmod" "$copy/kmod"
rm -f "$copy"/kmod/*.o "$copy"/kmod/*.ko
# A syntax error at the end of one source file.
first=$(ls "$copy"/kmod/*.c | head -1)
echo 'this is not C;' >>"$first"
PIPEHANG_SOURCE_DIR=$copy "$pipehang" "$@"
rc=$?
rm -rf "$copy"
exit $rc
