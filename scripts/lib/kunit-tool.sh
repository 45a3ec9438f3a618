#!/usr/bin/env bash
# The kernel's own KTAP parser (tools/testing/kunit/kunit.py of
# linux-source-6.1), unpacked into DIR; prints kunit.py's path. Taken from
# the bisect fixture's base commit when the fixture exists (git archive:
# read-only, seconds, safe while another test has the tree checked out),
# else from the tarball itself. Used by the KTAP checks (tests/vm/ktap.sh,
# scripts/bisect-demo/demo.sh).
#   kunit-tool.sh DIR
# Exit: 0 found, 1 not found (the reason on stderr).
set -uo pipefail
dir=${1:?usage: kunit-tool.sh DIR}
source "$(dirname "$0")/../kernel/env.sh"
if git -C "$PIPEHANG_BISECT_FIXTURE" rev-parse -q --verify fixture-base >/dev/null 2>&1; then
	git -C "$PIPEHANG_BISECT_FIXTURE" archive fixture-base tools/testing/kunit | tar -x -C "$dir" || {
		echo "kunit-tool: git archive of tools/testing/kunit from $PIPEHANG_BISECT_FIXTURE failed" >&2
		exit 1
	}
else
	[ -r "$KERNEL_SOURCE_TARBALL" ] || { echo "kunit-tool: $KERNEL_SOURCE_TARBALL missing (make deps-kernel)" >&2; exit 1; }
	tar -xJf "$KERNEL_SOURCE_TARBALL" -C "$dir" --strip-components=1 linux-source-6.1/tools/testing/kunit || {
		echo "kunit-tool: tools/testing/kunit not in $KERNEL_SOURCE_TARBALL" >&2
		exit 1
	}
fi
[ -f "$dir/tools/testing/kunit/kunit.py" ] || { echo "kunit-tool: no kunit.py under $dir" >&2; exit 1; }
echo "$dir/tools/testing/kunit/kunit.py"
