#!/bin/bash
# Host driver of one pipewatch VM test:
#   run_vm_test.sh PIPEHANG NAME
# boots a real kernel with `pipehang vm` (QEMU, own watchdog) running
# guest/NAME.sh with pipewatch.ko loaded, then asserts on the console log
# with check/NAME.sh. VM options for a test are in guest/NAME.vmargs.
# PIPEHANG_TEST_KERNEL picks the kernel (default: Debian 6.1.0-56-amd64).
set -u
here=$(cd "$(dirname "$0")" && pwd)
pipehang=${1:?usage: run_vm_test.sh PIPEHANG NAME}
name=${2:?usage: run_vm_test.sh PIPEHANG NAME}
kernel=${PIPEHANG_TEST_KERNEL:-6.1.0-56-amd64}
guest=$here/guest/$name.sh
check=$here/check/$name.sh
[ -x "$pipehang" ] || { echo "harness error: no pipehang binary at $pipehang" >&2; exit 2; }
[ -r "$guest" ] || { echo "harness error: no guest script $guest" >&2; exit 2; }
[ -r "$check" ] || { echo "harness error: no check script $check" >&2; exit 2; }

args=()
# one argument per line
[ -r "$here/guest/$name.vmargs" ] && mapfile -t args <"$here/guest/$name.vmargs"
log=$(mktemp "${TMPDIR:-/tmp}/pipewatch-$name.XXXXXX.log")
echo "pipewatch VM test $name: kernel $kernel, console log $log"
"$pipehang" vm --kernel "$kernel" --script "$guest" --console "$log.raw" "${args[@]}" >/dev/null
rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"
echo "pipehang vm exit status $rc"
case $rc in
123) echo "FAIL: boot failed" >&2; exit 1 ;;
124) echo "FAIL: VM watchdog timeout" >&2; tail -n 40 "$log" >&2; exit 1 ;;
128) echo "FAIL: harness error" >&2; exit 1 ;;
esac
if ! bash "$check" "$log" "$rc"; then
	echo "--- last 60 console lines ($log) ---" >&2
	tail -n 60 "$log" >&2
	exit 1
fi
rm -f "$log"
