# Helpers for the host-side checks of the pipewatch VM tests (bash).
# Every check reads the guest's serial console log and fails loudly,
# naming what it expected and what it found.
#
# What the tool itself reads in a console -- pipewatch.ko's records and
# messages, the guest's PIPEHANG: markers (a marker cut by a kernel message
# rejoined), the kernel's reports -- comes from `pipehang parse --json`
# (docs/harness.md), queried with jq: the C++ parsers, never a second copy
# of them in sed. What is still read from the raw log is the test's own
# output: the guest scripts' PWTEST/PWCASE/PWROOT lines, the stats file
# they print, their /dev/kmsg marks and their programs' JSON lines.
#
# A check runs as `PIPEHANG=BIN bash check/NAME.sh LOG RC` (run_vm_test.sh
# sets PIPEHANG); it calls load_console LOG first. No `set -e`: every step
# says itself what it found when it fails.
set -uo pipefail

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

pass() {
	echo "ok: $*"
}

# load_console LOG: reads LOG with `pipehang parse --json` once; q and the
# helpers below query that.
load_console() {
	[ -n "${PIPEHANG:-}" ] || fail "PIPEHANG is not set (the pipehang binary the checks read the console with)"
	command -v jq >/dev/null || fail "jq is not installed (scripts/install-deps.sh)"
	CONSOLE_JSON=$(mktemp "${TMPDIR:-/tmp}/pipewatch-check.XXXXXX.json")
	trap 'rm -f "$CONSOLE_JSON"' EXIT
	"$PIPEHANG" parse --json "$1" >"$CONSOLE_JSON" || fail "pipehang parse --json $1 failed"
}

# q [JQ-OPTION...] FILTER: jq -r over the console's JSON.
q() {
	jq -r "$@" "$CONSOLE_JSON"
}

# records [--arg NAME VALUE...] SELECT: the pipewatch records for which the
# jq expression SELECT holds, one compact JSON object a line, log order.
records() {
	local sel=${*: -1}
	jq -c "${@:1:$#-1}" ".pipewatch.records[] | select($sel)" "$CONSOLE_JSON"
}

# messages [--arg NAME VALUE...] SELECT: the same for the module's other
# lines ({line, time_us, text, fields}; text is what follows "pipewatch: ").
messages() {
	local sel=${*: -1}
	jq -c "${@:1:$#-1}" ".pipewatch.messages[] | select($sel)" "$CONSOLE_JSON"
}

# get JSON FILTER: a value out of one object ("" for null or missing).
get() {
	jq -r "($2) // empty" <<<"$1"
}

# rf RECORD KEY: the record's KEY=value field.
rf() {
	jq -r --arg k "$2" '.fields[$k] // empty' <<<"$1"
}

# has_frame RECORD WHO REGEX: the record's WHO stack (holder, waiter) has a
# frame (a bare function name) matching REGEX.
has_frame() {
	jq -e --arg who "$2" --arg re "$3" '(.stacks[$who] // []) | any(test($re))' <<<"$1" >/dev/null
}

# frames RECORD WHO: the frames of the record's WHO stack, one a line.
frames() {
	jq -r --arg who "$2" '(.stacks[$who] // [])[]' <<<"$1"
}

# ms JSON: the kernel timestamp of a record or message, in ms (integer).
ms() {
	jq -r 'if .time_us == null then "" else (.time_us / 1000 | floor) end' <<<"$1"
}

# field LINE KEY: value of KEY=value in one of the test's own lines (PWCASE, PWROOT).
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# kts LINE: the kernel timestamp of one of the test's /dev/kmsg marks
# ("[ 20.771038] pwtest: ..."), in ms (integer): the last one on the line. The mark need not start
# the line: the console interleaves it with the guest script's own output
# (seen in CI: "PWTEST dd_rc 0 1+0 records out [ 20.771038] pwtest: dd end").
# A line without one fails the test rather than computing with nothing.
kts() {
	local t
	t=$(printf '%s\n' "$1" | sed -n 's/.*\[ *\([0-9]\{1,\}\)\.\([0-9]\{3\}\)[0-9]*\] .*/\1\2/p' |
		sed 's/^0*\([0-9]\)/\1/')
	[ -n "$t" ] || fail "no kernel timestamp on the mark line: $1"
	printf '%s\n' "$t"
}

# No kernel warning, oops or corruption report anywhere in the log: every
# report the classifier finds fails the check, except the hangs the tests
# provoke (the kernel's hung-task reports, pipewatch's records) and RCU
# stalls (TCG is slow; the grep this replaced did not count them either).
assert_no_kernel_errors() {
	local bad
	bad=$(q '.reports[] | select(.type != "hang" and .type != "stall") | "line \(.start_line): \(.title)"' | head -n 5)
	[ -z "$bad" ] || fail "kernel errors in the log:
$bad"
	pass "no WARNING/BUG/Oops in the log"
}

# The guest reached userspace and loaded the module (the first well-formed
# module marker, as the harness reads it).
assert_booted_with_module() {
	[ "$(q '[.markers[] | select(.valid and .event == "boot")] | length')" -ge 1 ] ||
		fail "no boot marker: the guest did not boot"
	[ "$(q 'first(.markers[] | select(.valid and .event == "module") | .data.loaded) // false')" = true ] ||
		fail "pipewatch.ko was not loaded: $(q '.markers[] | select(.event == "module") | "PIPEHANG: \(.raw)"')"
	pass "guest booted and loaded pipewatch.ko"
}
