#!/usr/bin/env bash
# `make bisect-demo`: replays the real history of the pipe_release hang on a
# local kernel history (make-replay.sh) and bisects it two ways, from the
# range a user would give (replay-v5.5 .. replay-v5.6):
#
#  1. `pipehang bisect --mode syzbot`: reproducer entry openat2 only, ENOSYS
#     counted as a clean run. replay-v5.5 looks good (no openat2), so it
#     blames "open: introduce openat2(2) syscall" -- syzbot's answer. The
#     false-culprit check fires and pipehang bisects again with the
#     fallback entry: the good end is bad, the search goes back to
#     replay-v5.4, and the bisection finds the real culprit;
#  2. `pipehang bisect` in its default mode: finds the good end bad at once,
#     searches back, finds the culprit and verifies it by reverting it on
#     the bad end.
# Then prints both results next to syzbot's real figures.
#
# Usage: scripts/bisect-demo/run-replay.sh [BUILD_DIR] [--runs N] [--no-verify]
#   BUILD_DIR    where `pipehang` was built (default build)
#   --runs N     reproducer runs per revision (default 3)
#   --no-verify  skip the culprit-revert verification of the syzbot-mode run
#                (the default-mode run always verifies: that is its point)
# Exit: 0 both results as expected, 1 otherwise, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

build=build runs=3 verify=()
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--no-verify) verify=(--no-verify); shift ;;
	-h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bisect-demo: unknown option $1" >&2; exit 2 ;;
	*) build=$1; shift ;;
	esac
done
pipehang=$build/bin/pipehang
[ -x "$pipehang" ] || { echo "bisect-demo: $pipehang not built (run make first)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bisect-demo: --runs '$runs' is not a positive number" >&2; exit 2; }

openat2="open: introduce openat2(2) syscall"
culprit="splice: simplify building the bvec array in iter_file_splice_write()"

t0=$(date +%s)
source "$here/fixture-lock.sh"
source "$here/../lib/exit-status.sh"
lock_fixture bisect-demo || exit 1
fixture="$fixture" "$here/make-replay.sh" >/dev/null
out=${PIPEHANG_DEMO_OUT:-$(mktemp -d /tmp/pipehang-bisect-demo.XXXXXX)}
mkdir -p "$out"
echo "bisect-demo: fixture $fixture (branch replay), logs in $out"

rc1=0 rc2=0
echo "bisect-demo: 1/2 syzbot mode, replay-v5.5..replay-v5.6"
"$pipehang" bisect --tree "$fixture" --good replay-v5.5 --bad replay-v5.6 --mode syzbot \
	--runs "$runs" "${verify[@]}" --log "$out/syzbot.log" --json "$out/syzbot.json" >/dev/null || rc1=$?
t1=$(date +%s)
echo "bisect-demo: 2/2 default mode, replay-v5.5..replay-v5.6"
"$pipehang" bisect --tree "$fixture" --good replay-v5.5 --bad replay-v5.6 \
	--runs "$runs" --log "$out/default.log" --json "$out/default.json" >/dev/null || rc2=$?
t2=$(date +%s)

mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
first_bad() { jq -r "$1 | if .culprit then \"\(.culprit.id[0:12]) \(.culprit.subject)\" else \"none\" end" "$2" 2>/dev/null || echo none; }
echo
echo "================ bisect-demo: the real bug, replayed ================"
echo "syzbot mode, first bisection: $(first_bad .first "$out/syzbot.json")"
echo "syzbot mode, after the false-culprit check: $(first_bad '(.rebisect // {})' "$out/syzbot.json")"
echo "default mode: $(first_bad .first "$out/default.json")"
grep -hE '^(good end .* is bad|found good|culprit verification|false-culprit check|revisions tested)' \
	"$out/syzbot.log" "$out/default.log" || true
echo "syzbot mode $(mmss $((t1 - t0))), default mode $(mmss $((t2 - t1))) (fixture and builds included)"
echo "syzbot, for the real bug: 23 revisions, 5h52m (build 2h27m, test 3h22m), from v5.5 (already bad)"
echo "  to v5.6, blamed 'open: introduce openat2(2) syscall'; the real culprit a194dfe6e6f6 (v5.5-rc1)"
echo "  lay outside the range it bisected"

ok=1
jq -e --arg s "$openat2" '.first.culprit.subject == $s' "$out/syzbot.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: syzbot mode did not blame the openat2 commit" >&2; ok=0; }
jq -e '(.first.false_culprit | length) > 0' "$out/syzbot.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: the false-culprit check did not fire in syzbot mode" >&2; ok=0; }
jq -e --arg s "$culprit" '.rebisect.culprit.subject == $s' "$out/syzbot.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: the re-bisection after the false-culprit check did not find the culprit" >&2; ok=0; }
jq -e --arg s "$culprit" '.first.culprit.subject == $s' "$out/default.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: default mode did not find the culprit" >&2; ok=0; }
jq -e '.first.good_end_was_bad == true' "$out/default.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: default mode did not find the given good end bad" >&2; ok=0; }
jq -e '.first.verification == "confirmed"' "$out/default.json" >/dev/null ||
	{ echo "bisect-demo: FAIL: the culprit's revert did not check out" >&2; ok=0; }
[ "$rc1" -eq "$PH_EXIT_GOOD" ] && [ "$rc2" -eq "$PH_EXIT_GOOD" ] || { echo "bisect-demo: pipehang bisect exited $rc1 (syzbot) / $rc2 (default)" >&2; ok=0; }
[ $ok -eq 1 ] && echo "bisect-demo: OK: syzbot mode blames openat2; pipehang finds the good end bad, searches back and finds the culprit, confirmed by its revert"
[ $ok -eq 1 ]
