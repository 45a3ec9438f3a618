#!/bin/bash
# Host driver of one pipewatch VM test:
#   run_vm_test.sh PIPEHANG NAME
# boots a real kernel with `pipehang vm` (QEMU, own watchdog) running
# guest/NAME.sh with pipewatch.ko loaded, then asserts on the console log
# with check/NAME.sh, which reads it through `pipehang parse --json`
# (lib.sh). VM options for a test are in guest/NAME.vmargs.
# PIPEHANG_TEST_MODULE_ARGS adds module parameters to the test's own
# (e.g. waiter_probe=2: the fallback on a kernel with tracepoints);
# PIPEHANG_TEST_WAIT_PROBE (tracepoint or kretprobe) makes the test also
# fail unless the module saw the waits that way (its load line and stats).
# PIPEHANG_TEST_KERNEL picks the kernel (default: Debian 6.1.0-56-amd64);
# "debug" means the debug kernel (scripts/kernel/build-debug-kernel.sh;
# "debug:DIR" one built in DIR with harness/kernel-config/debug.config:
# KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS), and then the console
# is also scanned for any report of those checkers, the way liburing's
# runner scans dmesg: a splat anywhere fails the test.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../scripts/lib/exit-status.sh"
pipehang=${1:?usage: run_vm_test.sh PIPEHANG NAME}
name=${2:?usage: run_vm_test.sh PIPEHANG NAME}
kernel=${PIPEHANG_TEST_KERNEL:-6.1.0-56-amd64}
strict=0
if [ "$kernel" = debug ]; then
	strict=1
	kernel=$("$here/../../scripts/kernel/build-debug-kernel.sh" | tail -n 1) ||
		{ echo "harness error: the debug kernel did not build" >&2; exit 2; }
elif [ "${kernel#debug:}" != "$kernel" ]; then
	# debug:DIR: a kernel built elsewhere with debug.config, checked the same way.
	strict=1
	kernel=${kernel#debug:}
fi
guest=$here/guest/$name.sh
check=$here/check/$name.sh
[ -x "$pipehang" ] || { echo "harness error: no pipehang binary at $pipehang" >&2; exit 2; }
[ -r "$guest" ] || { echo "harness error: no guest script $guest" >&2; exit 2; }
[ -r "$check" ] || { echo "harness error: no check script $check" >&2; exit 2; }

args=()
# one argument per line
[ -r "$here/guest/$name.vmargs" ] && mapfile -t args <"$here/guest/$name.vmargs"
if [ -n "${PIPEHANG_TEST_MODULE_ARGS:-}" ]; then
	found=0
	for i in "${!args[@]}"; do
		if [ "${args[i]}" = --module-args ]; then
			args[i + 1]="${args[i + 1]} $PIPEHANG_TEST_MODULE_ARGS"
			found=1
		fi
	done
	[ $found = 1 ] || { echo "harness error: PIPEHANG_TEST_MODULE_ARGS, but guest/$name.vmargs has no --module-args" >&2; exit 2; }
fi
# KASAN + lockdep under TCG boots slowly enough (a driver_register() of
# ~27 s) to trip the soft-lockup and RCU-stall detectors during boot: give
# the emulated debug kernel longer limits, so a report means a real problem.
[ $strict = 1 ] && args+=(--append "watchdog_thresh=60 rcupdate.rcu_cpu_stall_timeout=120")
log=$(mktemp "${TMPDIR:-/tmp}/pipewatch-$name.XXXXXX.log")
echo "pipewatch VM test $name: kernel $kernel, console log $log"
# An oops leaves the guest unusable: it often hangs until the VM watchdog
# (15 min for load_unload). Every check fails on "BUG:" or "Oops" anyway
# (assert_no_kernel_errors, check_debug_clean.sh), so once the console
# shows one, give the kernel a few seconds to finish the report and stop
# the VM: the verdict is the same, only sooner.
oops_re='BUG:|Oops'
"$pipehang" vm --kernel "$kernel" --script "$guest" --console "$log.raw" "${args[@]}" >/dev/null &
vm=$!
oops=0
while kill -0 $vm 2>/dev/null; do
	if [ $oops = 0 ] && grep -qE "$oops_re" "$log.raw" 2>/dev/null; then
		oops=1
		sleep 5
		kill -TERM $vm 2>/dev/null
	fi
	sleep 1
done
wait $vm
rc=$?
tr -d '\r' <"$log.raw" >"$log"
rm -f "$log.raw"
echo "pipehang vm exit status $rc"
if [ $oops = 1 ]; then
	echo "FAIL: kernel oops in the guest, VM stopped early (console log $log):" >&2
	grep -nE "$oops_re" "$log" | head -n 5 >&2
	awk '/(BUG:|Oops)/ { on = 1 } on && n < 60 { print; n++ }' "$log" >&2
	exit 1
fi
case $rc in
"$PH_EXIT_BOOT_FAILED") echo "FAIL: boot failed" >&2; exit 1 ;;
"$PH_EXIT_TIMEOUT") echo "FAIL: VM watchdog timeout" >&2; tail -n 40 "$log" >&2; exit 1 ;;
"$PH_EXIT_ERROR") echo "FAIL: harness error" >&2; exit 1 ;;
esac
if [ $strict = 1 ] && ! bash "$here/check_debug_clean.sh" "$pipehang" "$log"; then
	exit 1
fi
if [ -n "${PIPEHANG_TEST_WAIT_PROBE:-}" ]; then
	# The load line as the tool reads it (pipehang parse --json), and the
	# guest's own print of the module's stats file.
	want=$PIPEHANG_TEST_WAIT_PROBE
	loaded=$("$pipehang" parse --json "$log" |
		jq -r '[.pipewatch.messages[] | select(.text | startswith("loaded: "))][0] | .fields.wait_probe // empty')
	stats=$(sed -n 's/^wait_probe //p' "$log" | head -n 1)
	if [ "$loaded" != "$want" ] || { [ -n "$stats" ] && [ "$stats" != "$want" ]; }; then
		echo "FAIL: the module did not see the waits with '$want': load line says '${loaded:-nothing}', stats say '${stats:-nothing}'" >&2
		exit 1
	fi
	echo "PASS: waits seen with the $want path (load line and stats)"
fi
if ! PIPEHANG=$pipehang bash "$check" "$log" "$rc"; then
	echo "--- last 60 console lines ($log) ---" >&2
	tail -n 60 "$log" >&2
	exit 1
fi
rm -f "$log"
