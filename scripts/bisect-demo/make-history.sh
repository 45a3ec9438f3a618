#!/usr/bin/env bash
# Makes a bisect demo scenario's kernel history on the bisect fixture tree
# (cached; a second run is instant), from the `history` steps of its
# scenario file (scripts/bisect-demo/scenarios/NAME.sh), one step a line:
#
#   branch NAME FROM         check out branch NAME, created (or reset) at FROM
#   checkout NAME            check out branch NAME
#   am PATCH                 git am one patch of the scenario's patch folder,
#                            by file name or by its number (0006)
#   merge BRANCH NAME DATE   merge BRANCH --no-ff as "Merge branch 'NAME'",
#                            author and committer date DATE
#   tag NAME                 tag the commit checked out
#
# with blank lines and # comments. The planted scenario has no steps: its
# history (fixture-base..fixture-tip) is make-fixture.sh's. Nothing is
# downloaded. Hashes are deterministic: a fixed identity, the patches' dates
# (git am --committer-date-is-author-date), merges with fixed dates, light
# tags. Must run with the fixture lock held (fixture-lock.sh) by a caller
# that set $fixture, or alone: it then takes the lock.
#
# Usage: scripts/bisect-demo/make-history.sh SCENARIO [--force]
#        scripts/bisect-demo/make-history.sh --check SCENARIO...
#   SCENARIO  planted, replay, merges (scenarios/NAME.sh) or a scenario file
#   --force   recreate the scenario's branches and tags
#   --check   read the steps only (no git, no tree): each step well formed,
#             each patch there, each branch made before it is used, the
#             scenario's good and bad ends tagged
# Prints the fixture path on the last line of stdout.
# Exit: 0 ok, 1 failure, 2 usage error.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/exit-status.sh"
usage() { echo "usage: make-history.sh SCENARIO [--force] | --check SCENARIO..." >&2; exit "$PH_EXIT_USAGE"; }

force=0 check=0 scenarios=()
while [ $# -gt 0 ]; do
	case $1 in
	--force) force=1 ;;
	--check) check=1 ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "$PH_EXIT_GOOD" ;;
	-*) echo "make-history: unknown option $1" >&2; usage ;;
	*) scenarios+=("$1") ;;
	esac
	shift
done
[ ${#scenarios[@]} -ge 1 ] || usage
[ $check -eq 1 ] || [ ${#scenarios[@]} -eq 1 ] || usage

scenario_names() { local f; for f in "$here"/scenarios/*.sh; do basename "$f" .sh; done | tr '\n' ' ' | sed 's/ $//'; }
# scenario_file NAME-OR-PATH: the scenario's file (exit 2 when there is none)
scenario_file() {
	local f=$1
	[[ $f == */* ]] || f=$here/scenarios/$1.sh
	[ -r "$f" ] || { echo "make-history: no scenario '$1' (scenarios: $(scenario_names))" >&2; exit "$PH_EXIT_USAGE"; }
	echo "$f"
}

# steps: the scenario's history as "LINE-NUMBER WORD ARGS..." lines, comments dropped
steps() {
	local n=0 line w
	while IFS= read -r line; do
		n=$((n + 1))
		line=${line%%#*}
		read -r -a w <<<"$line" || true
		[ ${#w[@]} -eq 0 ] || echo "$n ${w[*]}"
	done <<<"$history"
}

# patch_path ARG: the patch file ARG names in the scenario's patch folder
patch_path() {
	local dir=$here/$patches m
	if [ -f "$dir/$1" ]; then echo "$dir/$1"; return; fi
	shopt -s nullglob
	m=("$dir/$1"-*.patch)
	shopt -u nullglob
	[ ${#m[@]} -eq 1 ] || { echo "make-history: $scenario: am $1: ${#m[@]} patches in $patches/ match" >&2; return 1; }
	echo "${m[0]}"
}

# check_steps: reads the steps without git; 1 (with messages) when wrong
check_steps() {
	local err=0 n op a branches=" fixture-base " tags=" fixture-base fixture-tip " p
	[ -d "$here/$patches" ] || { echo "make-history: $scenario: patch folder '$patches' missing" >&2; err=1; }
	while read -r n op a; do
		read -r -a a <<<"$a" || true
		case $op:${#a[@]} in
		branch:2)
			[[ $branches$tags == *" ${a[1]} "* ]] || { echo "make-history: $scenario: line $n: branch from unknown '${a[1]}'" >&2; err=1; }
			branches+="${a[0]} " ;;
		checkout:1)
			[[ $branches == *" ${a[0]} "* ]] || { echo "make-history: $scenario: line $n: checkout of unknown branch '${a[0]}'" >&2; err=1; } ;;
		am:1) patch_path "${a[0]}" >/dev/null || err=1 ;;
		merge:3)
			[[ $branches == *" ${a[0]} "* ]] || { echo "make-history: $scenario: line $n: merge of unknown branch '${a[0]}'" >&2; err=1; }
			[[ ${a[2]} =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] || { echo "make-history: $scenario: line $n: merge date '${a[2]}' is not YYYY-MM-DDTHH:MM:SSZ" >&2; err=1; } ;;
		tag:1) tags+="${a[0]} " ;;
		*) echo "make-history: $scenario: line $n: cannot read '$op ${a[*]}'" >&2; err=1 ;;
		esac
	done < <(steps)
	[ -n "$history" ] || [ "$patches" = patches ] ||
		{ echo "make-history: $scenario: no history steps, so its history is make-fixture.sh's (patches=patches)" >&2; err=1; }
	for p in "$good" "$bad"; do
		[[ $tags == *" $p "* ]] || { echo "make-history: $scenario: the end '$p' is not a tag the history makes" >&2; err=1; }
	done
	[ -z "$history" ] || [ "$(steps | head -n 1 | cut -d' ' -f2)" = branch ] ||
		{ echo "make-history: $scenario: the first step must be 'branch'" >&2; err=1; }
	return $err
}

if [ $check -eq 1 ]; then
	rc=$PH_EXIT_GOOD
	for s in "${scenarios[@]}"; do
		f=$(scenario_file "$s")
		scenario=$(basename "$f" .sh) history='' patches='' good='' bad=
		# shellcheck source=scenarios/replay.sh
		source "$f"
		if check_steps; then echo "make-history: $scenario: $(steps | wc -l) steps ok"; else rc=$PH_EXIT_BAD; fi
	done
	exit "$rc"
fi

f=$(scenario_file "${scenarios[0]}")
scenario=$(basename "$f" .sh)
# shellcheck source=scenarios/replay.sh
source "$f"
check_steps || exit "$PH_EXIT_BAD"

# A caller holding the lock passes the tree as fixture=DIR in the environment.
if [ -z "${fixture:-}" ]; then
	source "$here/fixture-lock.sh"
	lock_fixture make-history || exit "$PH_EXIT_BAD"
fi
if [ -z "$history" ]; then
	echo "make-history: $scenario: the history is make-fixture.sh's ($good..$bad)" >&2
	echo "$fixture"
	exit "$PH_EXIT_GOOD"
fi

# The cache key: the steps and the patches they apply.
hash=$( { echo "$history"; while read -r _ op a; do [ "$op" != am ] || cat "$(patch_path "$a")"; done < <(steps); } |
	sha256sum | cut -c1-16)
stamp=$fixture/.git/pipehang-$scenario
mapfile -t tags < <(steps | awk '$2 == "tag" { print $3 }')
have_tags() { local t; for t in "${tags[@]}"; do git -C "$fixture" rev-parse -q --verify "refs/tags/$t" >/dev/null || return 1; done; }
if [ $force -eq 0 ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ] && have_tags; then
	echo "make-history: $scenario history in $fixture is up to date" >&2
	echo "$fixture"
	exit "$PH_EXIT_GOOD"
fi

export GIT_AUTHOR_NAME="pipehang fixture" GIT_AUTHOR_EMAIL="fixture@pipehang.invalid"
export GIT_COMMITTER_NAME="pipehang fixture" GIT_COMMITTER_EMAIL="fixture@pipehang.invalid"
git_q() { git -C "$fixture" -c core.autocrlf=false -c gc.auto=0 "$@"; }
git_q rev-parse -q --verify refs/tags/fixture-base >/dev/null ||
	{ echo "make-history: $fixture has no fixture-base tag (run make-fixture.sh)" >&2; exit "$PH_EXIT_BAD"; }
# A bisection someone left in the tree is theirs: do not build under it.
# shellcheck source=fixture-lock.sh
source "$here/fixture-lock.sh"
! bisection_in_progress "$fixture" ||
	{ echo "make-history: a git bisection is in progress in $fixture" >&2; exit "$PH_EXIT_BAD"; }

echo "make-history: creating the $scenario history on fixture-base"
while read -r _ op a; do
	read -r -a a <<<"$a"
	case $op in
	branch) git_q checkout -q -f -B "${a[0]}" "${a[1]}" ;;
	checkout) git_q checkout -q -f "${a[0]}" ;;
	# --committer-date-is-author-date: the same hashes on every machine.
	am) (unset GIT_AUTHOR_DATE GIT_COMMITTER_DATE; git_q am -q --committer-date-is-author-date "$(patch_path "${a[0]}")") ;;
	merge) GIT_AUTHOR_DATE=${a[2]} GIT_COMMITTER_DATE=${a[2]} git_q merge -q --no-ff -m "Merge branch '${a[1]}'" "${a[0]}" ;;
	tag) git_q tag -f "${a[0]}" >/dev/null ;;
	esac
done < <(steps)
echo "$hash" >"$stamp"
last=${tags[${#tags[@]} - 1]}
echo "make-history: $fixture: $scenario history, $(git_q rev-list --count "fixture-base..$last") commits" \
	"($(git_q rev-list --merges --count "fixture-base..$last") merges), tags ${tags[*]}" >&2
echo "$fixture"
