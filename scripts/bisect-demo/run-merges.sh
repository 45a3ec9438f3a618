#!/usr/bin/env bash
# `make bisect-demo-merges`: the real bug on a merge-heavy history
# (make-merges.sh: topic branches merged into a mainline with tags) bisected
# from the range a user would give, merges-v5.5 .. merges-v5.6, two ways:
#
#  1. `pipehang bisect --mode syzbot`: merges-v5.5 looks good (no openat2),
#     and git's engine lands on "Merge branch 'open'", the merge that brings
#     openat2 to the culprit: a merge culprit whose second side brought the
#     reproducer's entry point. The false-culprit check (reading the commits
#     the merge brings in) fires and the re-bisection in pipehang's mode
#     finds the good end bad, searches back to tag merges-v5.4 and finds the
#     culprit on its topic branch;
#  2. `pipehang bisect` in its default mode: the same search and culprit,
#     verified by reverting it on the bad end.
#
# Usage: scripts/bisect-demo/run-merges.sh [BUILD_DIR] [--runs N] [--no-verify]
#   BUILD_DIR    where `pipehang` was built (default build)
#   --runs N     reproducer runs per revision (default 3)
#   --no-verify  skip the revert check of the syzbot-mode run (the default
#                mode always verifies)
# Exit: 0 both results as expected, 1 otherwise, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

build=build runs=3 verify=()
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=${2:?--runs needs a number}; shift 2 ;;
	--no-verify) verify=(--no-verify); shift ;;
	-h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "bisect-demo-merges: unknown option $1" >&2; exit 2 ;;
	*) build=$1; shift ;;
	esac
done
pipehang=$build/bin/pipehang
[ -x "$pipehang" ] || { echo "bisect-demo-merges: $pipehang not built (run make first)" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bisect-demo-merges: --runs '$runs' is not a positive number" >&2; exit 2; }

merge="Merge branch 'open'"
culprit="splice: simplify building the bvec array in iter_file_splice_write()"

t0=$(date +%s)
source "$here/fixture-lock.sh"
source "$here/../lib/exit-status.sh"
lock_fixture bisect-demo-merges || exit 1
fixture="$fixture" "$here/make-merges.sh" >/dev/null
out=${PIPEHANG_DEMO_OUT:-$(mktemp -d /tmp/pipehang-bisect-merges.XXXXXX)}
mkdir -p "$out"
echo "bisect-demo-merges: fixture $fixture (branch merges-main), logs in $out"

rc1=0 rc2=0
echo "bisect-demo-merges: 1/2 syzbot mode, merges-v5.5..merges-v5.6"
"$pipehang" bisect --tree "$fixture" --good merges-v5.5 --bad merges-v5.6 --mode syzbot \
	--runs "$runs" "${verify[@]}" --log "$out/syzbot.log" --json "$out/syzbot.json" >/dev/null || rc1=$?
t1=$(date +%s)
echo "bisect-demo-merges: 2/2 default mode, merges-v5.5..merges-v5.6"
"$pipehang" bisect --tree "$fixture" --good merges-v5.5 --bad merges-v5.6 \
	--runs "$runs" --log "$out/default.log" --json "$out/default.json" >/dev/null || rc2=$?
t2=$(date +%s)

mmss() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
first_bad() { jq -r "$1 | if .culprit then \"\(.culprit.id[0:12]) \(.culprit.subject)\" else \"none\" end" "$2" 2>/dev/null || echo none; }
echo
echo "================ bisect-demo-merges: the real bug on a merge-heavy history ================"
echo "syzbot mode, first bisection: $(first_bad .first "$out/syzbot.json")"
echo "syzbot mode, after the false-culprit check: $(first_bad '(.rebisect // {})' "$out/syzbot.json")"
echo "default mode: $(first_bad .first "$out/default.json")"
grep -hE '^(Bisecting:|merge culprit|good end .* is bad|found good|culprit verification|false-culprit check|revisions tested)' \
	"$out/syzbot.log" "$out/default.log" || true
echo "syzbot mode $(mmss $((t1 - t0))), default mode $(mmss $((t2 - t1))) (fixture and builds included)"

ok=1
check() { # check FILE JQ-EXPR MESSAGE
	jq -e --arg m "$merge" --arg c "$culprit" "$2" "$1" >/dev/null || { echo "bisect-demo-merges: FAIL: $3" >&2; ok=0; }
}
check "$out/syzbot.json" '.first.culprit.subject == $m' "syzbot mode did not blame the merge that brings openat2 in"
check "$out/syzbot.json" '.first.merge.entry_points[0].name == "openat2"' "the merge culprit does not say openat2 arrives through it"
check "$out/syzbot.json" '[.first.merge.parents[].verdict] == ["good", "good"]' "the merge's parents are not both good"
check "$out/syzbot.json" '[.first.false_culprit[] | select(test("merge that brings in the syscall openat2"))] | length > 0' \
	"the false-culprit check did not read what the merge brings in"
check "$out/syzbot.json" '.rebisect.culprit.subject == $c' "the re-bisection did not find the culprit on its topic branch"
check "$out/default.json" '.first.culprit.subject == $c' "default mode did not find the culprit"
check "$out/default.json" '.first.good_end_was_bad == true and .first.found_good.tag == "merges-v5.4"' \
	"default mode did not find the good end bad and search back to merges-v5.4"
check "$out/default.json" '.first.verification == "confirmed"' "the culprit's revert did not check out"
grep -q '^Bisecting: ' "$out/default.log" || { echo "bisect-demo-merges: FAIL: no git bisect progress line in the log" >&2; ok=0; }
[ ! -e "$(git -C "$fixture" rev-parse --git-path BISECT_START)" ] ||
	{ echo "bisect-demo-merges: FAIL: a git bisection was left in progress in $fixture" >&2; ok=0; }
[ "$rc1" -eq "$PH_EXIT_GOOD" ] && [ "$rc2" -eq "$PH_EXIT_GOOD" ] || { echo "bisect-demo-merges: pipehang bisect exited $rc1 (syzbot) / $rc2 (default)" >&2; ok=0; }
[ $ok -eq 1 ] && echo "bisect-demo-merges: OK: syzbot mode blames the merge bringing openat2 in; pipehang finds the culprit on its topic branch, confirmed by its revert"
[ $ok -eq 1 ]
