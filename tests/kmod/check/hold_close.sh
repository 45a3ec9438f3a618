# Checks for guest/hold_close.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
thr=1000
[ "$2" = 0 ] || fail "guest script exit status $2"
load_console "$log"
assert_booted_with_module

json=$(grep -o '{"tool":"pipe-bench","mode":"hold-close"[^}]*}' "$log" | head -n 1)
[ -n "$json" ] || fail "no hold-close result line from repro-pipe-bench"
pid=$(get "$json" .pid)
close_ms=$(get "$json" .close_ms)
# close() must really have blocked: held 3000 ms, closed ~300 ms in.
[ "${close_ms%.*}" -ge 2000 ] || fail "close() took only $close_ms ms: it did not block"
pass "close() of the write end blocked for $close_ms ms"

hold=$(messages '.text | startswith("hold start ")' | head -n 1)
[ -n "$hold" ] || fail "no 'hold start' line"
holder=$(get "$hold" .fields.holder)
ino=$(get "$hold" .fields.pipe_ino)

waiter="repro-pipe-benc/$pid"
rec=$(records --arg w "$waiter" '.event == "pipe_wait" and .fields.waiter == $w' | head -n 1)
[ -n "$rec" ] || fail "no pipe_wait record with waiter=$waiter"
id=$(get "$rec" .id)
[ "$(rf "$rec" func)" = pipe_release ] || fail "func is $(rf "$rec" func), want pipe_release"
[ "$(rf "$rec" holder)" = "$holder" ] || fail "holder is $(rf "$rec" holder), want $holder"
[ "$(rf "$rec" pipe_ino)" = "$ino" ] || fail "pipe_ino is $(rf "$rec" pipe_ino), want $ino"
waited=$(rf "$rec" waited_ms)
held=$(rf "$rec" held_ms)
[ "$waited" -ge "$thr" ] && [ "$waited" -le $((thr + 1000)) ] ||
	fail "waited_ms=$waited outside [$thr, $((thr + 1000))]"
[ "$held" -ge "$waited" ] || fail "held_ms=$held < waited_ms=$waited"
pass "record $id: func=pipe_release waiter=$waiter holder=$holder waited_ms=$waited held_ms=$held"

# Detection latency from the kernel log's own clock.
mark=$(grep "pipe-bench: hold-close pid=$pid closing" "$log" | head -n 1)
[ -n "$mark" ] || fail "no /dev/kmsg mark before close()"
t_mark=$(kts "$mark") || exit 1
lat=$(($(ms "$rec") - t_mark))
[ "$lat" -le $((thr + 1000)) ] || fail "record came $lat ms after close(), limit $((thr + 1000))"
pass "record logged $lat ms after close() (limit $((thr + 1000)) ms)"

has_frame "$rec" waiter '^pipe_release$' || fail "waiter stack lacks pipe_release"
has_frame "$rec" holder '^pw_hold_fn$' || fail "holder stack lacks pw_hold_fn"
[ "$(get "$rec" .ended)" = true ] || fail "record $id has no end line"
pass "record $id has holder and waiter stacks and an end line"

count=$(records --arg w "$waiter" '.event == "pipe_wait" and .fields.waiter == $w' | wc -l)
[ "$count" = 1 ] || fail "$count records for one wait episode, want 1"
grep -q '^pipe_wait_events 4$' "$log" || fail "stats do not show pipe_wait_events 4"
pass "one record per episode, stats agree"

# pipe_write / pipe_read waiters on the second hold.
wp=$(sed -n 's/^PWTEST writer_pid \([0-9]*\) .*/\1/p' "$log")
hp=$(sed -n 's/^PWTEST writer_pid [0-9]* reader_pid \([0-9]*\)$/\1/p' "$log")
holder2=$(messages '.text | startswith("hold start ")' | sed -n 2p)
holder2=$(get "${holder2:-null}" .fields.holder)
[ -n "$wp" ] && [ -n "$hp" ] && [ -n "$holder2" ] || fail "second hold phase did not run"
for w in "pipe_write sh/$wp" "pipe_read head/$hp"; do
	set -- $w
	r=$(records --arg f "$1" --arg w "$2" '.event == "pipe_wait" and .fields.func == $f and .fields.waiter == $w' | head -n 1)
	[ -n "$r" ] || fail "no $1 record for waiter $2"
	[ "$(rf "$r" holder)" = "$holder2" ] || fail "$1 record: holder=$(rf "$r" holder), want $holder2"
	pass "record: func=$1 waiter=$2 holder=$holder2"
done

# Spinning holder: named, stack taken by IPI with the entry frames cut.
sp=$(sed -n 's/^PWTEST spin_writer_pid //p' "$log")
holder3=$(messages '.text | startswith("hold start ") and endswith(" spin")' | head -n 1)
holder3=$(get "${holder3:-null}" .fields.holder)
[ -n "$sp" ] && [ -n "$holder3" ] || fail "spin hold phase did not run"
r=$(records --arg w "sh/$sp" '.event == "pipe_wait" and .fields.func == "pipe_write" and .fields.waiter == $w' | head -n 1)
[ -n "$r" ] || fail "no record for the writer waiting on a spinning holder"
id=$(get "$r" .id)
[ "$(rf "$r" holder)" = "$holder3" ] || fail "spin record: holder=$(rf "$r" holder), want $holder3"
has_frame "$r" holder '^pw_hold_fn$' || fail "spinning holder stack lacks pw_hold_fn"
has_frame "$r" holder 'sysvec|smp_call_function' && fail "spinning holder stack still has IPI frames"
running=$(sed -n 's/^running_stacks //p' "$log" | tail -n 1)
[ "${running:-0}" -ge 1 ] || fail "stats running_stacks=$running: the IPI stack path was not used"
pass "record $id: spinning holder $holder3 named, stack via IPI (running_stacks=$running)"
assert_no_kernel_errors
