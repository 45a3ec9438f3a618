# Checks for guest/bad_writes.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
load_console "$log"
assert_booted_with_module
# The bad reset cases can only show a wrongful reset if counters are set.
before=$(sed -n 's/^PWTEST before_cases //p' "$log")
ev=$(printf '%s\n' "$before" | sed -n 's/.*pipe_wait_events \([0-9]*\).*/\1/p')
[ -n "$ev" ] && [ "$ev" -ge 1 ] || fail "no pipe_wait event before the cases (got '$before'): reset cases would prove nothing"
pass "counters non-zero before the cases ($before)"
n=$(grep -c '^PWCASE ' "$log")
[ "$n" = 29 ] || fail "$n PWCASE lines, want 29"
while read -r line; do
	want=$(field "$line" want)
	rc=$(field "$line" rc)
	same=$(field "$line" same)
	if [ "$want" = err ]; then
		[ "$rc" != 0 ] || fail "accepted: $line"
		[ "$same" = yes ] || fail "changed state: $line"
		case $line in
		*"input='99 100"*) want_err="Bad file descriptor" ;;
		*) want_err="Invalid argument" ;;
		esac
		case $line in
		*"$want_err"*) ;;
		*) fail "want '$want_err': $line" ;;
		esac
	else
		[ "$rc" = 0 ] || fail "rejected a good write: $line"
		[ "$same" = no ] || fail "a good write changed nothing: $line"
	fi
done < <(grep '^PWCASE ' "$log")
pass "25 bad writes rejected with EINVAL/EBADF and no state change; 4 good writes applied"
[ "$(sed -n 's/^PWTEST wait_threshold_ms //p' "$log")" = 1500 ] || fail "wait_threshold_ms not 1500 at the end"
[ -n "$(messages '.text | startswith("hold start ")')" ] || fail "the good hold write did not start a hold"
pass "good writes took effect"
id=$(sed -n 's/^PWROOT_ID //p' "$log")
[ "$id" = "65534 readable " ] || fail "su to nobody did not work as expected: PWROOT_ID '$id'"
[ "$(grep -c '^PWROOT file=' "$log")" = 5 ] || fail "want 5 PWROOT lines"
while read -r line; do
	[ "$(field "$line" write_rc)" != 0 ] || fail "unprivileged write accepted: $line"
	[ "$(field "$line" read_rc)" != 0 ] || fail "unprivileged read allowed: $line"
	[ "$(field "$line" same)" = yes ] || fail "unprivileged write changed state: $line"
	case $line in *"Permission denied"*) ;; *) fail "want 'Permission denied': $line" ;; esac
done < <(grep '^PWROOT file=' "$log")
pass "uid 65534 can neither read nor write stats, thresholds, hold or reset"
assert_no_kernel_errors
