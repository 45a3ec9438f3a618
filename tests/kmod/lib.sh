# Helpers for the host-side checks of the pipewatch VM tests (bash).
# Every check reads the guest's serial console log and fails loudly,
# naming what it expected and what it found.

# The console log with CRs removed (serial consoles emit CRLF).
clean_log() {
	tr -d '\r' <"$1"
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

pass() {
	echo "ok: $*"
}

# field LINE KEY: value of KEY=value in a pipewatch record line.
field() {
	printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# jfield JSON KEY: a number or plain string field of a flat JSON object.
jfield() {
	printf '%s\n' "$1" | sed -n "s/.*\"$2\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

# kts LINE: the kernel timestamp of a log line, in ms (integer).
kts() {
	printf '%s\n' "$1" | sed -n 's/^\[ *\([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/p' | sed 's/^0*\([0-9]\)/\1/'
}

# record_block LOG ID: all lines of pipewatch record ID.
record_block() {
	grep -E "pipewatch: (event=[a-z_]+ )?id=$2( |$)" "$1"
}

# section LOG ID WHO: the frames of the "WHO stack:" section of record ID.
section() {
	record_block "$1" "$2" | awk -v who="$3" '
		/ stack:$/ { on = ($0 ~ (" " who " stack:$")); next }
		/ end$/ { on = 0 }
		on { print }'
}

# No kernel warning, oops or corruption report anywhere in the log.
assert_no_kernel_errors() {
	local bad
	bad=$(grep -nE 'WARNING:|BUG:|Oops|general protection fault|kernel BUG|refcount_t:|list_(add|del) corruption|Kernel panic|unable to handle' "$1" | head -n 5)
	[ -z "$bad" ] || fail "kernel errors in the log:
$bad"
	pass "no WARNING/BUG/Oops in the log"
}

# The guest reached userspace and loaded the module.
assert_booted_with_module() {
	grep -q '^PIPEHANG: boot ' "$1" || fail "no boot marker: the guest did not boot"
	grep -q '^PIPEHANG: module {"loaded":true' "$1" ||
		fail "pipewatch.ko was not loaded: $(grep '^PIPEHANG: module' "$1")"
	pass "guest booted and loaded pipewatch.ko"
}
