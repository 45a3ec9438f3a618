#!/usr/bin/env bash
# 'make run': the main job. Judges the default Debian kernel (the newest 6.1
# image) twice with the oracle:
#   1. normal disk    -> expected good (10 clean runs)
#   2. throttled disk -> expected bad: 'INFO: task hung in pipe_release',
#                        with the mutex holder named by pipewatch.ko
# and prints both verdicts. Exit 0 when both came out as expected.
set -uo pipefail
. "$(dirname "$0")/lib/exit-status.sh"
build=${1:-build}
pipehang="$build/bin/pipehang"
[ -x "$pipehang" ] || { echo "make run: $pipehang not built" >&2; exit 2; }
# 64 KiB/s: the reproducer's 1 MiB O_DIRECT splice then holds pipe->mutex
# for ~16 s, far beyond the guest's 3 s hung-task timeout.
throttle=${PIPEHANG_THROTTLE:-65536}
runs=${PIPEHANG_RUNS:-10}

echo "== pipehang run: default Debian kernel, normal disk (expected: good)"
"$pipehang" run --runs "$runs"
good_rc=$?
echo
echo "== pipehang run: default Debian kernel, disk writes limited to $throttle B/s (expected: bad)"
"$pipehang" run --runs "$runs" --disk-throttle "$throttle"
bad_rc=$?

verdict() {
	case $1 in
	"$PH_EXIT_GOOD") echo good ;;
	"$PH_EXIT_BAD") echo bad ;;
	"$PH_EXIT_SKIP") echo skip ;;
	"$PH_EXIT_ERROR") echo "harness error" ;;
	"$PH_EXIT_INTERRUPTED") echo interrupted ;;
	*) echo "exit $1" ;;
	esac
}
echo
echo "== summary"
echo "normal disk:    $(verdict $good_rc) (expected good)"
echo "throttled disk: $(verdict $bad_rc) (expected bad)"
[ "$good_rc" -eq "$PH_EXIT_GOOD" ] && [ "$bad_rc" -eq "$PH_EXIT_BAD" ]
