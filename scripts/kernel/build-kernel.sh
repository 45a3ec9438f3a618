#!/usr/bin/env bash
# Builds a pipehang test kernel in a linux-source-6.1 tree, in place.
#
# Usage: scripts/kernel/build-kernel.sh [--jobs N] [--fragment FILE] TREE
#   TREE        a kernel source tree (e.g. from unpack-source.sh, or a git
#               checkout during a bisection)
#   --jobs N    parallel make jobs (default 2: the machines have 2 cores)
#   --fragment  config fragment (default harness/kernel-config/pipehang.config)
#
# The config is tinyconfig + the fragment + olddefconfig, redone whenever the
# fragment changes; afterwards every fragment line must hold in .config.
# ccache is used when installed. The full build output goes to
# TREE/pipehang-build.log and its warnings to TREE/pipehang-warnings.log.
# Results: TREE/arch/x86/boot/bzImage, TREE/vmlinux, TREE/Module.symvers
# (enough to build pipewatch.ko with `make -C TREE M=...`).
#
# Exit: 0 built, 1 build or config failure (a bisection treats it as skip),
#       2 usage error.
set -euo pipefail
source "$(dirname "$0")/env.sh"

jobs=2
fragment=$PIPEHANG_KERNEL_FRAGMENT
tree=
while [ $# -gt 0 ]; do
	case $1 in
	--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
	--fragment) fragment=${2:?--fragment needs a file}; shift 2 ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "build-kernel: unknown option $1" >&2; exit 2 ;;
	*) [ -z "$tree" ] || { echo "build-kernel: more than one TREE given" >&2; exit 2; }
	   tree=$1; shift ;;
	esac
done
[ -n "$tree" ] || { echo "build-kernel: no TREE given (see --help)" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "build-kernel: --jobs '$jobs' is not a positive number" >&2; exit 2; }
[ -f "$tree/Makefile" ] && [ -d "$tree/arch/x86" ] || { echo "build-kernel: $tree is not a kernel source tree" >&2; exit 2; }
[ -r "$fragment" ] || { echo "build-kernel: config fragment $fragment not readable" >&2; exit 2; }

cd "$tree"
log=pipehang-build.log
: >"$log"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
mk=(make ARCH=x86_64 "CC=$cc" LOCALVERSION= -j"$jobs")

# Config: regenerate from scratch only when the fragment changed.
frag_hash=$(sha256sum "$fragment" | cut -d' ' -f1)
if [ ! -f .config ] || [ "$(cat .pipehang-fragment 2>/dev/null)" != "$frag_hash" ]; then
	echo "build-kernel: configuring $tree (tinyconfig + $(basename "$fragment"))"
	"${mk[@]}" tinyconfig >>"$log" 2>&1
	scripts/kconfig/merge_config.sh -m -O . .config "$fragment" >>"$log" 2>&1
	"${mk[@]}" olddefconfig >>"$log" 2>&1
	echo "$frag_hash" >.pipehang-fragment
else
	"${mk[@]}" olddefconfig >>"$log" 2>&1
fi

# Every fragment line must have survived olddefconfig (an unmet dependency
# silently drops an option; better to fail here than boot a useless kernel).
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" .config || { echo "build-kernel: config lost: $line" >&2; bad=1; } ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q "^$opt=" .config && { echo "build-kernel: config wants $opt unset" >&2; bad=1; } ;;
	esac
done <"$fragment"
[ $bad -eq 0 ] || { echo "build-kernel: configuration does not match $fragment" >&2; exit 1; }

echo "build-kernel: building $tree with -j$jobs ($cc), log in $tree/$log"
start=$(date +%s)
if ! "${mk[@]}" all >>"$log" 2>&1; then
	echo "build-kernel: build FAILED after $(( $(date +%s) - start ))s; last lines of $tree/$log:" >&2
	grep -E 'error|Error' "$log" | tail -n 15 >&2 || tail -n 15 "$log" >&2
	exit 1
fi
grep -E 'warning:' "$log" >pipehang-warnings.log || true
echo "build-kernel: built $tree/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s" \
     "($(wc -l <pipehang-warnings.log) warnings in $tree/pipehang-warnings.log)"
