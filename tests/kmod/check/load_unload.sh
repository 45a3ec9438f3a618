# Checks for guest/load_unload.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
load_console "$log"
assert_booted_with_module
v() { sed -n "s/^PWTEST $1 //p" "$log" | head -n 1; }
[ "$(v cycles)" = 100 ] || fail "completed $(v cycles) of 100 cycles: $(grep -E '^PWTEST (insmod|rmmod|refcnt)' "$log")"
pass "100 load/unload cycles under load"
loads=$(messages '.text | startswith("loaded: ")' | wc -l)
unloads=$(messages '.text == "unloaded"' | wc -l)
# 100 cycles, the guest's own load before them, the final reload, and the
# accepted values of the parameter-range loads.
want=$((102 + $(grep -c '^PWTEST range .* loaded$' "$log")))
[ "$loads" = "$want" ] && [ "$unloads" = "$want" ] || fail "$loads loads / $unloads unloads logged, want $want each"
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

# Module parameters: each description states its range and default, the
# default is what a load without arguments gets, and the range is enforced.
descs=$(sed -n 's/^PWTEST desc //p' "$log")
params=$(sed -n 's/^PWTEST param //p' "$log")
[ -n "$params" ] || fail "no parameter values printed"
nparams=$(printf '%s\n' "$params" | grep -c .)
[ "$(printf '%s\n' "$descs" | grep -c .)" = "$nparams" ] ||
	fail "$nparams parameters, descriptions for: $(printf '%s\n' "$descs" | cut -d: -f1 | tr '\n' ' ')"
r() { sed -n "s/^PWTEST range $1 //p" "$log"; }
while read -r name value; do
	d=$(printf '%s\n' "$descs" | grep "^$name:") || fail "parameter $name has no description"
	range=$(printf '%s\n' "$d" | grep -oE '[0-9]+\.\.[0-9]+' | tail -n 1)
	[ -n "$range" ] || fail "description of $name states no range: $d"
	def=$(printf '%s\n' "$d" | sed -n 's/.*default \([0-9][0-9]*\).*/\1/p')
	[ -n "$def" ] || fail "description of $name states no default: $d"
	[ "$def" = "$value" ] || fail "$name: description says default $def, a load without arguments got $value"
	lo=${range%..*}
	hi=${range#*..}
	[ "$(r "$name=$lo")" = loaded ] || fail "$name=$lo (low end of $range): '$(r "$name=$lo")'"
	[ "$(r "$name=$hi")" = loaded ] || fail "$name=$hi (high end of $range): '$(r "$name=$hi")'"
	above=$((hi + 1))
	[ "$(r "$name=$above")" = refused ] || fail "$name=$above (above $range): '$(r "$name=$above")'"
	[ -n "$(messages --arg p "$name=$above out of range" '.text | startswith($p)')" ] ||
		fail "no log line naming $name when $above was refused"
	# 0 may be a special value the description names, e.g. "(0=off, ".
	zero_ok=no
	case $d in *"(0="*) zero_ok=yes ;; esac
	if [ "$lo" -gt 0 ]; then
		below=$((lo - 1))
		want=refused
		[ "$below" = 0 ] && [ $zero_ok = yes ] && want=loaded
		[ "$(r "$name=$below")" = $want ] || fail "$name=$below (below $range): '$(r "$name=$below")', want $want"
	fi
	if [ $zero_ok = yes ]; then
		[ "$(r "$name=0")" = loaded ] || fail "$name=0 (named in: $d): '$(r "$name=0")'"
	fi
done <<END
$params
END
# The design's promise: the holder named about a second into a wait.
[ "$(printf '%s\n' "$params" | sed -n 's/^wait_threshold_ms //p')" = 1000 ] ||
	fail "wait_threshold_ms does not default to 1000"
pass "$nparams parameters: range and default stated, default true, range enforced"
nrec=$(q '.pipewatch.records | length')
[ "$nrec" -ge 1 ] || fail "no records at all: the module was not exercised during the cycles"
pass "records were emitted while cycling ($nrec)"
assert_no_kernel_errors
