#!/usr/bin/env bash
# `pipehang run` keeps every boot's serial console in a file, without being
# asked (--console-dir): the JSON names it, and it holds the whole boot.
#   console-kept.sh PIPEHANG KERNEL   (run under expect.sh)
set -uo pipefail
ph=$1 kernel=$2
json=$("$ph" run --kernel "$kernel" --runs 1 --json)
rc=$?
echo "console-kept: pipehang run exit $rc"
dir=$(jq -r '.console_dir // empty' <<<"$json")
file=$(jq -r '.boots[0].console // empty' <<<"$json")
[ -n "$dir" ] && [ -n "$file" ] || { echo "console-kept: FAIL: no console_dir / boots[0].console in the JSON"; exit 1; }
cache=${PIPEHANG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipehang}
case $dir in
"$cache"/consoles/*) ;;
*) echo "console-kept: FAIL: console_dir $dir is not under $cache/consoles"; exit 1 ;;
esac
[ "$(dirname "$file")" = "$dir" ] || { echo "console-kept: FAIL: $file is not in $dir"; exit 1; }
for want in 'Linux version' 'PIPEHANG: boot ' 'PIPEHANG: run-end ' 'PIPEHANG: done '; do
	grep -q "$want" "$file" || { echo "console-kept: FAIL: $file lacks '$want'"; exit 1; }
done
echo "console-kept: ok: $(wc -c <"$file") bytes in $file"
rm -rf "$dir"
exit $rc
