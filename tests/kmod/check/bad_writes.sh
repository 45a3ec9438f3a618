# Checks for guest/bad_writes.sh: LOG is the console, RC the script status.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
log=$1
[ "$2" = 0 ] || fail "guest script exit status $2"
assert_booted_with_module "$log"
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
grep -q 'pipewatch: hold start ' "$log" || fail "the good hold write did not start a hold"
pass "good writes took effect"
assert_no_kernel_errors "$log"
