#!/usr/bin/env bash
# No function longer than a screen in the folders that have been split into
# small ones (issue 19: userspace/bisect/ was one 258-line function running
# nine phases): a function is at most MAX lines, its braces included.
# The layout is the repo's (.clang-format): a function's body opens with
# `{` alone on its line and closes with `}` at the same indent (member
# functions defined in a class body included); lambdas and blocks inside a
# function count towards it.
# Usage: check-function-length.sh SOURCE_DIR [MAX]   exit 0 all short, 1 not
set -euo pipefail
src=${1:?usage: check-function-length.sh SOURCE_DIR [MAX]}
max=${2:-80}
cd "$src"
folders=(userspace/bisect)
status=0
for f in $(find "${folders[@]}" -name '*.cpp' -o -name '*.h' | sort); do
	awk -v max="$max" -v file="$f" '
		# A signature starts at the indent its body opens at.
		!start && /^\t*[A-Za-z~]/ { sig = $0 }
		!start && /^\t*\{$/ { start = NR; indent = substr($0, 1, length($0) - 1); name = sig; next }
		start && $0 ~ ("^" indent "\\}") {
			len = NR - start + 1
			gsub(/^\t+/, "", name)
			if (len > max) { printf "%s:%d: %s: %d lines (at most %d)\n", file, start, name, len, max; bad = 1 }
			start = 0
		}
		END { exit bad }
' "$f" || status=1
done
[ $status -eq 0 ] && echo "every function in ${folders[*]} is at most $max lines"
exit $status
