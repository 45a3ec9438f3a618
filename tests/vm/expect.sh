#!/usr/bin/env bash
# Runs one pipehang command the way a user would and checks what matters:
# its exit status, lines in its output, and that it cleaned up after
# itself (no QEMU left running, no temporary files left behind).
#
#   expect.sh RC 'regex' ['regex'...] -- COMMAND [ARGS...]
#
# RC is a number or a name from scripts/lib/exit-status.sh (good, bad, skip,
# error, interrupted, ...), so a test says which status it means.
#
# Every regex (grep -E) must match the combined stdout+stderr; a regex
# starting with '!' must NOT match. The command runs with a private TMPDIR,
# so leftover files and QEMU processes are attributable to it.
set -uo pipefail
. "$(dirname "$0")/../../scripts/lib/exit-status.sh"
want_rc=$1
shift
case $want_rc in
*[!0-9]* | '')
	var=PH_EXIT_${want_rc^^}
	[ -n "${!var:-}" ] || { echo "expect.sh: unknown exit status name '$want_rc'" >&2; exit 2; }
	want_rc=${!var}
	;;
esac
patterns=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	patterns+=("$1")
	shift
done
[ "${1:-}" = "--" ] || { echo "expect.sh: missing -- before the command" >&2; exit 2; }
shift

tmp=$(mktemp -d /tmp/pipehang-vmtest.XXXXXX)
log=$(mktemp /tmp/pipehang-vmtest-log.XXXXXX)
cleanup() {
	# Belt and braces: never leave a QEMU from this test running.
	pkill_ids=$(pgrep -f -- "$tmp/" || true)
	[ -n "$pkill_ids" ] && kill -9 $pkill_ids 2>/dev/null
	rm -rf "$tmp" "$log"
}
trap cleanup EXIT

echo "expect.sh: running: $*"
start=$(date +%s)
TMPDIR=$tmp "$@" >"$log" 2>&1
rc=$?
end=$(date +%s)
cat "$log"
echo "expect.sh: exit status $rc after $((end - start)) s (want $want_rc)"

fail=0
if [ "$rc" != "$want_rc" ]; then
	echo "FAIL: exit status $rc, expected $want_rc"
	fail=1
fi
for p in "${patterns[@]}"; do
	if [ "${p:0:1}" = "!" ]; then
		if grep -Eq -- "${p:1}" "$log"; then
			echo "FAIL: output matches forbidden /${p:1}/"
			fail=1
		fi
	elif ! grep -Eq -- "$p" "$log"; then
		echo "FAIL: output lacks /$p/"
		fail=1
	fi
done
sleep 0.5
if pgrep -f -- "$tmp/" >/dev/null; then
	echo "FAIL: processes still running from $tmp:"
	pgrep -af -- "$tmp/"
	fail=1
fi
left=$(find "$tmp" -mindepth 1 | head -5)
if [ -n "$left" ]; then
	echo "FAIL: temporary files left behind:"
	echo "$left"
	fail=1
fi
[ $fail -eq 0 ] && echo "expect.sh: PASS"
exit $fail
