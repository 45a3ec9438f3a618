#!/usr/bin/env bash
# Builds a pipehang test kernel in a linux-source-6.1 tree, in place.
#
# Usage: scripts/kernel/build-kernel.sh [--jobs N] [--icecc] [--config FILE] [--fragment FILE]
#                                      [--result-file FILE] TREE
#   TREE            a kernel source tree (e.g. from unpack-source.sh, or a
#                   git checkout during a bisection)
#   --jobs N        parallel make jobs (default 2: the machines have 2 cores);
#                   no limit from the local cores: with --icecc give the
#                   cluster's job slots (this is the build-jobs setting)
#   --icecc         compile through an icecream (icecc) cluster: needs the
#                   package icecc and this machine's iceccd in the cluster.
#                   ccache stays in front (CCACHE_PREFIX=icecc: a ccache hit
#                   never leaves the machine); the compiler environment
#                   icecc sends to the nodes is made once per compiler
#                   version in $PIPEHANG_CACHE/icecc-env/ (icecc-env.sh), or
#                   ICECC_VERSION if set. icecc not installed, or that
#                   environment cannot be made: exit 2 (the same on every
#                   revision: bad input, not a failed build)
#   --config FILE   start from this full .config (e.g. your distro's) instead
#                   of tinyconfig + harness/kernel-config/pipehang.config
#   --fragment FILE a config fragment merged on top (of the default or of
#                   --config), e.g. CONFIG_VIRTIO_BLK=y for a distro config
#   --result-file FILE  also write the result as data, one key=value a line,
#                   whatever the exit (for programs; the messages on stderr
#                   are for people and may change):
#                     status=built|restored|failed|usage|config-unusable
#                     exit=N             this script's exit status (below)
#                     log=PATH           the build log (once TREE is known)
#                     restored_from=DIR  status=restored: the build cache entry
#                     missing=LINE       status=config-unusable: one per option
#                                        the oracle needs, "CONFIG_X=y (is: ...)"
#
# The config is (tinyconfig + pipehang.config | --config) + --fragment +
# olddefconfig, redone whenever one of these inputs changes (olddefconfig
# alone whenever Kconfig could decide differently: config-stamp.sh); afterwards
# every fragment line must hold in .config, and so must every option the
# oracle needs (harness/kernel-config/required.config), else exit 3.
# ccache is used when installed; a clean git checkout whose tree and
# configuration were built before is not rebuilt: its results come back
# from the build cache (build-cache.sh; PIPEHANG_BUILD_CACHE=0 turns it
# off). The full build output goes to
# TREE/pipehang-build.log and its warnings to TREE/pipehang-warnings.log.
# Results: TREE/arch/x86/boot/bzImage, TREE/vmlinux, TREE/Module.symvers
# (enough to build pipewatch.ko with `make -C TREE M=...`).
#
# Exit: 0 built, 1 build or config failure (a bisection treats it as skip),
#       2 usage error, 3 the configuration lacks an option the oracle needs
#       (bad input: `pipehang oracle` exits 128, `pipehang bisect` 2).
set -euo pipefail
source "$(dirname "$0")/env.sh"

jobs=2
icecc=0
config= fragment=
tree=
result_file=
# The result as data (--result-file): lines gathered here, written with
# the exit status by the EXIT trap, so every way out reports.
result_lines=()
result() { result_lines+=("$@"); }
write_result() {
	local code=$? status
	[ -n "$result_file" ] || return $code
	case $code in
	0) status=built ;;
	2) status=usage ;;
	3) status=config-unusable ;;
	*) status=failed ;;
	esac
	[ -z "${restored_from:-}" ] || status=restored
	{ echo "status=$status"; echo "exit=$code"; [ ${#result_lines[@]} -eq 0 ] || printf '%s\n' "${result_lines[@]}"; } >"$result_file" || true
	return $code
}
trap write_result EXIT
while [ $# -gt 0 ]; do
	case $1 in
	--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
	--icecc) icecc=1; shift ;;
	--config) config=${2:?--config needs a file}; shift 2 ;;
	--fragment) fragment=${2:?--fragment needs a file}; shift 2 ;;
	--result-file) result_file=${2:?--result-file needs a file}; shift 2
		# Absolute: written after the cd below.
		[[ $result_file == /* ]] || result_file=$PWD/$result_file
		: >"$result_file" || { echo "build-kernel: cannot write --result-file $result_file" >&2; exit 2; } ;;
	-h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	-*) echo "build-kernel: unknown option $1" >&2; exit 2 ;;
	*) [ -z "$tree" ] || { echo "build-kernel: more than one TREE given" >&2; exit 2; }
	   tree=$1; shift ;;
	esac
done
[ -n "$tree" ] || { echo "build-kernel: no TREE given (see --help)" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "build-kernel: --jobs '$jobs' is not a positive number" >&2; exit 2; }
[ -f "$tree/Makefile" ] && [ -d "$tree/arch/x86" ] || { echo "build-kernel: $tree is not a kernel source tree" >&2; exit 2; }
[ -z "$config" ] || [ -r "$config" ] || { echo "build-kernel: --config $config not readable" >&2; exit 2; }
[ -z "$fragment" ] || [ -r "$fragment" ] || { echo "build-kernel: --fragment $fragment not readable" >&2; exit 2; }
if [ $icecc = 1 ]; then
	source "$PIPEHANG_REPO_ROOT/scripts/kernel/icecc-env.sh"
	icecc_check || exit 2
fi
required=$PIPEHANG_REPO_ROOT/harness/kernel-config/required.config
# Paths are used after the cd below.
[ -z "$config" ] || config=$(realpath "$config")
[ -z "$fragment" ] || fragment=$(realpath "$fragment")

cd "$tree"
log=pipehang-build.log
result "log=$PWD/$log"
: >"$log"
cc=gcc
command -v ccache >/dev/null && cc="ccache gcc"
if [ $icecc = 1 ]; then
	# ccache first: a hit never reaches the cluster. With ccache, CC stays
	# "ccache gcc", so the configuration stamp (config-stamp.sh) does not
	# change, and ccache's entries are shared with local builds: the nodes
	# run this very compiler (the environment below), so the objects are
	# the same (the build cache's key names gcc's version, not CC).
	if [ "$cc" = gcc ]; then
		cc="icecc gcc"
	else
		export CCACHE_PREFIX=icecc
	fi
	# Before any make: Kconfig's compiler probes go through icecc too, and
	# without ICECC_VERSION icecc would have the daemon pack one itself.
	icecc_env || exit 2
	export ICECC_VERSION=$icecc_version
	icecc_daemon || echo "build-kernel: --icecc: warning: no local iceccd answers" \
		"(/var/run/icecc/iceccd.socket, ~/.iceccd.socket, 127.0.0.1:10245):" \
		"icecc will compile every file on this machine, -j$jobs at once" >&2
fi
mk=(make ARCH=x86_64 "CC=$cc" LOCALVERSION= -j"$jobs")

# Config: regenerate from scratch only when one of its inputs changed.
if [ -n "$config" ]; then
	base_desc="--config $config"
	inputs=("$config")
else
	base_desc="tinyconfig + $(basename "$PIPEHANG_KERNEL_FRAGMENT")"
	inputs=("$PIPEHANG_KERNEL_FRAGMENT")
fi
[ -z "$fragment" ] || inputs+=("$fragment")
if [ ${#inputs[@]} -eq 1 ] && [ -z "$config" ]; then
	# The default alone: the stamp older versions of this script wrote, so
	# a shared tree is not reconfigured back and forth.
	in_hash=$(sha256sum "$PIPEHANG_KERNEL_FRAGMENT" | cut -d' ' -f1)
else
	in_hash=$( { echo "$base_desc"; cat "${inputs[@]}"; } | sha256sum | cut -d' ' -f1)
fi
# olddefconfig only when Kconfig could now decide differently (config-stamp.sh).
source "$PIPEHANG_REPO_ROOT/scripts/kernel/config-stamp.sh"
if [ ! -f .config ] || [ "$(cat .pipehang-fragment 2>/dev/null)" != "$in_hash" ]; then
	echo "build-kernel: configuring $tree ($base_desc${fragment:+ + $(basename "$fragment")})"
	if [ -n "$config" ]; then
		cp "$config" .config
	else
		"${mk[@]}" tinyconfig >>"$log" 2>&1
		scripts/kconfig/merge_config.sh -m -O . .config "$PIPEHANG_KERNEL_FRAGMENT" >>"$log" 2>&1
	fi
	[ -z "$fragment" ] || scripts/kconfig/merge_config.sh -m -O . .config "$fragment" >>"$log" 2>&1
	olddefconfig
	echo "$in_hash" >.pipehang-fragment
elif ! config_is_current; then
	olddefconfig
fi

# Every fragment line must have survived olddefconfig (an unmet dependency
# silently drops an option; better to fail here than boot a useless kernel).
check_fragment() { # FILE: 0 when every line holds
	local bad=0 line opt
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) grep -qxF -- "$line" .config || { echo "build-kernel: config lost: $line" >&2; bad=1; } ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}
			grep -q "^$opt=" .config && { echo "build-kernel: config wants $opt unset" >&2; bad=1; } ;;
		esac
	done <"$1"
	return $bad
}
# What the oracle needs, whatever the config: missing is the user's input
# to fix (exit 3), not a build failure to skip on every revision.
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" .config ||
		missing+=("$line (is: $(grep -E "^(# )?${line%%=*}[= ]" .config | head -n1 || true))") ;;
	esac
done <"$required"
if [ ${#missing[@]} -gt 0 ]; then
	echo "build-kernel: the configuration ($base_desc${fragment:+ + $fragment}) lacks what the pipehang oracle needs:" >&2
	printf '  %s\n' "${missing[@]}" >&2
	for m in "${missing[@]}"; do result "missing=$m"; done
	echo "build-kernel: add them built in (=y) with --fragment FILE (list: $required)" >&2
	exit 3
fi
bad=0
[ -n "$config" ] || check_fragment "$PIPEHANG_KERNEL_FRAGMENT" || bad=1
[ -z "$fragment" ] || check_fragment "$fragment" || bad=1
[ $bad -eq 0 ] || { echo "build-kernel: configuration does not match its fragments" >&2; exit 1; }

# The build cache (build-cache.sh): a clean git checkout whose source tree
# and configuration were built before gets that build's results back.
source "$PIPEHANG_REPO_ROOT/scripts/kernel/build-cache.sh"
build_cache_key
# A tree never built with this configuration (a fresh worktree of a
# bisection's pool, bisect --workers) lacks what an out-of-tree module
# build needs besides the restored files: the generated headers of this
# .config and modpost. modules_prepare makes them (tens of seconds, once).
if [ -n "$build_cache_dir" ] && [ -f "$build_cache_dir/complete" ] &&
   { [ ! -x scripts/mod/modpost ] || [ ! -f include/config/auto.conf ] || [ include/config/auto.conf -ot .config ]; }; then
	echo "build-kernel: $tree: making the generated headers and modpost for the build cache's results (modules_prepare)"
	"${mk[@]}" modules_prepare >>"$log" 2>&1 ||
		{ echo "build-kernel: make modules_prepare FAILED; last lines of $tree/$log:" >&2; tail -n 15 "$log" >&2; exit 1; }
fi
if build_cache_restore; then
	restored_from=$build_cache_dir
	result "restored_from=$build_cache_dir"
	echo "build-kernel: $tree: tree ${tree_id:0:12} with this configuration was built before:" \
	     "results restored from $build_cache_dir (no build)"
	exit 0
fi

echo "build-kernel: building $tree with -j$jobs ($cc${CCACHE_PREFIX:+, CCACHE_PREFIX=$CCACHE_PREFIX}), log in $tree/$log"
start=$(date +%s)
if ! "${mk[@]}" all >>"$log" 2>&1; then
	echo "build-kernel: build FAILED after $(( $(date +%s) - start ))s; last lines of $tree/$log:" >&2
	grep -E 'error|Error' "$log" | tail -n 15 >&2 || tail -n 15 "$log" >&2
	exit 1
fi
grep -E 'warning:' "$log" >pipehang-warnings.log || true
build_cache_store
echo "build-kernel: built $tree/arch/x86/boot/bzImage in $(( $(date +%s) - start ))s" \
     "($(wc -l <pipehang-warnings.log) warnings in $tree/pipehang-warnings.log)"
