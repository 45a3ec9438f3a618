# Checks for guest/load_unload.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
assert_booted_with_module "$log"
v() { sed -n "s/^PWTEST $1 //p" "$log" | head -n 1; }
[ "$(v cycles)" = 100 ] || fail "completed $(v cycles) of 100 cycles: $(grep -E '^PWTEST (insmod|rmmod|refcnt)' "$log")"
pass "100 load/unload cycles under load"
loads=$(grep -c 'pipewatch: loaded: ' "$log")
unloads=$(grep -c 'pipewatch: unloaded$' "$log")
[ "$loads" = 102 ] && [ "$unloads" = 102 ] || fail "$loads loads / $unloads unloads logged, want 102 each"
pass "every load and unload logged"
[ "$(v modules)" = 0 ] || fail "pipewatch still in /proc/modules"
[ "$(v kprobes)" = 0 ] || fail "$(v kprobes) pipewatch probe points left registered"
[ "$(v threads)" = 0 ] || fail "$(v threads) pipewatch kernel threads left"
[ "$(v debugfs)" = absent ] || fail "debugfs directory left behind"
# The probe count is meaningful: with the module loaded it sees them all.
[ "$(v kprobes_loaded)" -ge 3 ] || fail "only $(v kprobes_loaded) probes listed while loaded, want >= 3 (pipe_lock, pipe_double_lock, pipe_unlock)"
pass "no module, probes, threads or debugfs entries left ($(v kprobes_loaded) probes while loaded)"
before=$(v task_struct_before)
after=$(v task_struct_after)
if grep -q '^PWTEST no_slabinfo$' "$log"; then
	# Minimal kernels without CONFIG_SLUB_DEBUG have no /proc/slabinfo.
	echo "note: task_struct leak check not possible: no /proc/slabinfo on this kernel"
else
	[ -n "$before" ] && [ -n "$after" ] || fail "no task_struct slab counts"
	# A leaked task reference per cycle would leave >= 100 task_structs.
	[ "$after" -le $((before + 50)) ] || fail "task_struct objects grew from $before to $after"
	pass "task_struct objects $before -> $after (no reference leak)"
fi
grep -q '^PWTEST final reload ok$' "$log" || fail "module did not load and work after the cycles"
pass "module loads and works after the cycles"
grep -q 'pipewatch: event=' "$log" || fail "no records at all: the module was not exercised during the cycles"
pass "records were emitted while cycling ($(grep -c 'pipewatch: event=' "$log"))"
assert_no_kernel_errors "$log"
