# Checks for guest/splice_dio.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "repro-splice-dio exit status $2 (0 = exercised)"
load_console "$log"
assert_booted_with_module

# Whether pipewatch saw the waits through the contention tracepoints (then
# the kernel's own hung-task trace is untouched and can be compared).
tracepoint=$(messages '(.text | startswith("loaded: ")) and .fields.wait_probe == "tracepoint"' | head -n 1)
found=0
compared=0
while read -r json; do
	closer=$(get "$json" .closer_tid)
	tids=$(get "$json" '.splicer_tids | map(tostring) | join(" ")')
	[ -n "$closer" ] && [ -n "$tids" ] || fail "reproducer JSON lacks closer_tid/splicer_tids: $json"
	rec=$(records --arg w "ph-close/$closer" '.event == "pipe_wait" and .fields.waiter == $w' | head -n 1)
	[ -n "$rec" ] || continue
	id=$(get "$rec" .id)
	[ "$(rf "$rec" func)" = pipe_release ] || fail "record $id: func=$(rf "$rec" func), want pipe_release"
	holder=$(rf "$rec" holder)
	ok=0
	for t in $tids; do
		[ "$holder" = "ph-splice-0/$t" ] && ok=1
	done
	[ $ok = 1 ] || fail "record $id: holder=$holder is not a splice thread (tids: $tids)"
	has_frame "$rec" holder '^(iomap_dio_rw|__iomap_dio_rw|ext4_file_write_iter)$' ||
		fail "record $id: holder stack has neither iomap_dio_rw nor ext4_file_write_iter"
	has_frame "$rec" waiter '^pipe_release$' || fail "record $id: waiter stack lacks pipe_release"
	# A throttled disk: the holder sleeps in the O_DIRECT write, it does not spin.
	[ "$(rf "$rec" holder_state)" = sleeping ] || fail "record $id: holder_state=$(rf "$rec" holder_state), want sleeping"
	# The module must not spoil the kernel's own report of the same task
	# (a kretprobe trampoline would replace pipe_release in its trace).
	# (guest/splice_dio.vmargs: hung-task timeout 2 s, checked every 1 s;
	# the throttle lets some iterations through faster, so only closes
	# that blocked 3.5 s or more must have a kernel report.)
	close_ms=$(get "$json" .close_ms)
	if [ -n "$tracepoint" ] && [ "${close_ms%.*}" -ge 3500 ]; then
		kreports=$(q -c --arg h "INFO: task ph-close:$closer blocked" \
			'[.reports[] | select(.source == "kernel" and .family == "task-hung" and (.text | contains($h)))]')
		[ "$(get "$kreports" length)" -ge 1 ] ||
			fail "close() blocked $close_ms ms but there is no kernel hung-task report for ph-close/$closer"
		compared=$((compared + 1))
		jq -e 'any(.[].stacks[].frames[]; . == "pipe_release")' <<<"$kreports" >/dev/null ||
			fail "the kernel's own hung-task trace of ph-close/$closer lacks pipe_release"
		pass "kernel's own hung-task trace of ph-close/$closer still shows pipe_release"
	fi
	pass "record $id: waiter=ph-close/$closer func=pipe_release holder=$holder held_ms=$(rf "$rec" held_ms), O_DIRECT write in the holder stack"
	found=$((found + 1))
done < <(grep -o '{"tool":"repro-splice-dio"[^}]*}' "$log" | jq -c -R 'fromjson? | select(.exercised == true)')
[ $found -ge 1 ] || fail "no pipe_wait record naming a reproducer's closer thread"
if [ -n "$tracepoint" ]; then
	[ $compared -ge 1 ] || fail "no iteration blocked long enough to compare with the kernel's own report"
fi
pass "$found iteration(s) diagnosed with the splice thread as holder"
assert_no_kernel_errors
