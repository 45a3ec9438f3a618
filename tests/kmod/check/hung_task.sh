# Checks for guest/hung_task.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
thr=1500
[ "$2" = 0 ] || fail "guest script exit status $2"
load_console "$log"
assert_booted_with_module

pid=$(sed -n 's/^PWTEST dd_pid \([0-9]*\)$/\1/p' "$log")
[ -n "$pid" ] || fail "no PWTEST dd_pid line: the guest script did not start dd"
start=$(grep 'pwtest: dd start' "$log" | head -n 1)
end=$(grep 'pwtest: dd end' "$log" | head -n 1)
[ -n "$start" ] && [ -n "$end" ] || fail "no /dev/kmsg marks around dd"
t_start=$(kts "$start") && t_end=$(kts "$end") || exit 1
dur=$((t_end - t_start))
# Without a slow write there is nothing to detect: that is a broken test
# set-up (throttle not applied), not a pipewatch result.
[ "$dur" -ge $((thr + 2000)) ] || fail "dd took only $dur ms: the disk throttle did not slow it"
pass "O_DIRECT write of 1 MiB to the throttled disk took $dur ms"

rec=$(records --arg w "dd/$pid" '.event == "hung_task" and .fields.waiter == $w' | head -n 1)
[ -n "$rec" ] || fail "no hung_task record with waiter=dd/$pid"
id=$(get "$rec" .id)
[ "$(rf "$rec" holder)" = none/0 ] || fail "holder is $(rf "$rec" holder), want none/0"
[ "$(rf "$rec" pipe_ino)" = 0 ] || fail "pipe_ino is $(rf "$rec" pipe_ino), want 0"
waited=$(rf "$rec" waited_ms)
# waited_ms is a lower bound up to 500 ms short (docs/pipewatch.md).
[ "$waited" -ge $((thr - 500)) ] && [ "$waited" -le "$dur" ] ||
	fail "waited_ms=$waited outside [$((thr - 500)), $dur]"
lat=$(($(ms "$rec") - t_start))
[ "$lat" -ge "$thr" ] && [ "$lat" -le $((thr + 2000)) ] ||
	fail "record came $lat ms after dd started, want [$thr, $((thr + 2000))]"
pass "record $id: hung_task waiter=dd/$pid func=$(rf "$rec" func) waited_ms=$waited, $lat ms after dd started"

has_frame "$rec" waiter '^(__)?iomap_dio_rw$' || fail "waiter stack lacks iomap_dio_rw"
has_frame "$rec" waiter '^ext4_file_write_iter' || fail "waiter stack lacks ext4_file_write_iter"
[ -z "$(frames "$rec" holder)" ] || fail "record $id has holder frames but no holder"
[ "$(get "$rec" .ended)" = true ] || fail "record $id has no end line"
pass "record $id: waiter stack in the ext4 direct-I/O path, no holder frames, end line"

count=$(records --arg w "dd/$pid" '.event == "hung_task" and .fields.waiter == $w' | wc -l)
[ "$count" = 1 ] || fail "$count hung_task records for one D-state episode, want 1"
# Other tasks may stall on the same slow disk and be reported too (the
# ext4 journal thread jbd2 does: seen in the first runs); every record
# must be counted in stats.
all=$(records '.event == "hung_task"' | wc -l)
grep -q "^hung_task_events $all\$" "$log" ||
	fail "stats show $(grep '^hung_task_events' "$log"), the log has $all hung_task records"
grep -q '^pipe_wait_events 0$' "$log" || fail "a pipe_wait was reported though no task waited for a pipe"
kernel=$(q '.reports[] | select(.source == "kernel" and .family == "task-hung") | "line \(.start_line): \(.title)"' | head -n 1)
[ -z "$kernel" ] || fail "the kernel's own hung-task detector fired (timeout 120 s expected): $kernel"
pass "one record for the episode, stats agree, kernel detector quiet"
assert_no_kernel_errors
