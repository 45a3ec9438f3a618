#!/usr/bin/env bash
# Checks that every C++ source of the project is in the one style that
# .clang-format at the top describes. kmod/ is kernel C and is checkpatch's
# (kmod/.clang-format disables formatting there).
# Usage: check-format.sh SOURCE_DIR     exit 0 clean, 1 not formatted, 77 skip
set -euo pipefail
src=${1:?usage: check-format.sh SOURCE_DIR}
cf=$(command -v clang-format || command -v clang-format-14 || true)
if [ -z "$cf" ]; then
	echo "SKIP: clang-format is not installed (scripts/install-deps.sh build installs it)"
	exit 77
fi
cd "$src"
# The files git knows, so build trees and scratch files never count; a
# tarball without .git falls back to the source folders.
if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -- '*.cpp' '*.h' ':!:kmod/*')
else
	mapfile -t files < <(find userspace harness reproducers tests bench \( -name '*.cpp' -o -name '*.h' \) | sort)
fi
[ ${#files[@]} -gt 0 ] || { echo "no C++ files found under $src" >&2; exit 1; }
bad=()
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	"$cf" --style=file --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
	echo "not in the project's style (fix with: clang-format -i FILE):"
	printf '  %s\n' "${bad[@]}"
	# The first file's differences, so the CI log shows what is wrong.
	"$cf" --style=file --dry-run "${bad[0]}" 2>&1 | head -40
	exit 1
fi
echo "checked ${#files[@]} files: all in the project's style"
