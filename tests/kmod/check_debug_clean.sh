# The debug kernel's checkers found nothing: no KASAN, lockdep, atomic-sleep
# or debug-objects report anywhere in the console, and every report the
# classifier finds is a hang the test itself provokes (pipewatch records and
# the kernel's hung-task reports), nothing else.
#   check_debug_clean.sh PIPEHANG LOG
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
ph=$1 log=$2
splat=$(grep -nE 'BUG: KASAN|KASAN: |possible (circular|recursive) locking|inconsistent lock state|lockdep is turned off|DEBUG_LOCKS_WARN_ON|sleeping function called from invalid context|ODEBUG|suspicious RCU usage|WARNING:|BUG:|Oops|general protection fault|refcount_t:|list_(add|del) corruption' "$log" | head -n 8)
[ -z "$splat" ] || fail "debug kernel: checker report(s) in the console:
$splat"
others=$("$ph" parse "$log" | grep -v '^INFO: task hung in ' || true)
[ -z "$others" ] || fail "debug kernel: reports other than the provoked hangs: $others"
grep -q 'CONFIG_KASAN\|KernelAddressSanitizer initialized' "$log" ||
	fail "debug kernel: the console does not show KASAN initialised: is this the debug kernel?"
pass "debug kernel: no KASAN, lockdep, atomic-sleep or debug-objects report; only the provoked hangs"
