# Checks for guest/splice_dio.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "repro-splice-dio exit status $2 (0 = exercised)"
assert_booted_with_module "$log"

found=0
compared=0
while read -r json; do
	closer=$(jfield "$json" closer_tid)
	tids=$(printf '%s\n' "$json" | sed -n 's/.*"splicer_tids":\[\([0-9,]*\)\].*/\1/p' | tr ',' ' ')
	[ -n "$closer" ] && [ -n "$tids" ] || fail "reproducer JSON lacks closer_tid/splicer_tids: $json"
	rec=$(grep "pipewatch: event=pipe_wait .* waiter=ph-close/$closer " "$log" | head -n 1)
	[ -n "$rec" ] || continue
	id=$(field "$rec" id)
	[ "$(field "$rec" func)" = pipe_release ] || fail "record $id: func=$(field "$rec" func), want pipe_release"
	holder=$(field "$rec" holder)
	ok=0
	for t in $tids; do
		[ "$holder" = "ph-splice-0/$t" ] && ok=1
	done
	[ $ok = 1 ] || fail "record $id: holder=$holder is not a splice thread (tids: $tids)"
	section "$log" "$id" holder | grep -qE ' (iomap_dio_rw|__iomap_dio_rw|ext4_file_write_iter)\+' ||
		fail "record $id: holder stack has neither iomap_dio_rw nor ext4_file_write_iter"
	section "$log" "$id" waiter | grep -q ' pipe_release+' || fail "record $id: waiter stack lacks pipe_release"
	# A throttled disk: the holder sleeps in the O_DIRECT write, it does not spin.
	[ "$(field "$rec" holder_state)" = sleeping ] || fail "record $id: holder_state=$(field "$rec" holder_state), want sleeping"
	# The module must not spoil the kernel's own report of the same task
	# (a kretprobe trampoline would replace pipe_release in its trace).
	# (guest/splice_dio.vmargs: hung-task timeout 2 s, checked every 1 s;
	# the throttle lets some iterations through faster, so only closes
	# that blocked 3.5 s or more must have a kernel report.)
	close_ms=$(jfield "$json" close_ms)
	if grep -q 'pipewatch: loaded: .* wait_probe=tracepoint' "$log" && [ "${close_ms%.*}" -ge 3500 ]; then
		grep -q "INFO: task ph-close:$closer blocked" "$log" ||
			fail "close() blocked $close_ms ms but there is no kernel hung-task report for ph-close/$closer"
		compared=$((compared + 1))
		sed -n "/INFO: task ph-close:$closer blocked/,/<\/TASK>/p" "$log" | grep -q ' pipe_release+' ||
			fail "the kernel's own hung-task trace of ph-close/$closer lacks pipe_release"
		pass "kernel's own hung-task trace of ph-close/$closer still shows pipe_release"
	fi
	pass "record $id: waiter=ph-close/$closer func=pipe_release holder=$holder held_ms=$(field "$rec" held_ms), O_DIRECT write in the holder stack"
	found=$((found + 1))
done < <(grep -o '{"tool":"repro-splice-dio"[^}]*}' "$log" | grep '"exercised":true')
[ $found -ge 1 ] || fail "no pipe_wait record naming a reproducer's closer thread"
if grep -q 'pipewatch: loaded: .* wait_probe=tracepoint' "$log"; then
	[ $compared -ge 1 ] || fail "no iteration blocked long enough to compare with the kernel's own report"
fi
pass "$found iteration(s) diagnosed with the splice thread as holder"
assert_no_kernel_errors "$log"
