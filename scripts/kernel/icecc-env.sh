# shellcheck shell=bash
# Compiling through an icecream (icecc) cluster (sourced by build-kernel.sh
# for --icecc, with $PIPEHANG_CACHE set by env.sh).
#
# The nodes of a cluster compile in a chroot made from a tarball of this
# machine's compiler (gcc, cc1, as, their libraries: icecc-create-env), sent
# to each node once. Made here once per compiler and kept in
# $PIPEHANG_CACHE/icecc-env/<gcc version>-<key>/, the key a hash of what
# goes into it (gcc's and as' version lines, gcc's path, the machine): a
# Debian update of gcc or binutils makes a new one. A user's own
# ICECC_VERSION (a cross toolchain, a cluster's policy) is used as it is.
#
#   icecc_check    0 when icecc can be used; else a message (exit 2 material)
#   icecc_env      sets $icecc_version to the tarball, making it if needed
#                  (ICECC_VERSION if set: a plain path must be readable);
#                  1 with a message when it cannot be made
#   icecc_daemon   0 when a local iceccd answers where icecc looks for one

icecc_check() {
	local b
	for b in icecc icecc-create-env; do
		command -v "$b" >/dev/null || {
			echo "build-kernel: --icecc: $b is not installed (Debian package icecc:" \
			     "scripts/install-deps.sh kernel-build)" >&2
			return 1
		}
	done
}

icecc_env_key() {
	{
		command -v gcc
		gcc --version | head -n 1
		as --version | head -n 1
		uname -m
	} | sha256sum | cut -c1-16
}

icecc_env() {
	icecc_version=
	if [ -n "${ICECC_VERSION:-}" ]; then
		# A plain path must be there (the platform:path,... form is icecc's
		# to read).
		case $ICECC_VERSION in
		*[:,]*) ;;
		*) [ -r "$ICECC_VERSION" ] || {
			echo "build-kernel: --icecc: ICECC_VERSION=$ICECC_VERSION is not a readable file" >&2
			return 1
		} ;;
		esac
		icecc_version=$ICECC_VERSION
		echo "build-kernel: --icecc: compiler environment from ICECC_VERSION=$ICECC_VERSION"
		return 0
	fi
	local top=$PIPEHANG_CACHE/icecc-env dir name tmp
	dir=$top/gcc-$(gcc -dumpfullversion)-$(icecc_env_key)
	if [ -f "$dir/name" ] && name=$(cat "$dir/name") && [ -f "$dir/$name" ]; then
		icecc_version=$dir/$name
		return 0
	fi
	mkdir -p "$top"
	# One maker at a time (two bisections starting together); the second
	# finds the first one's tarball.
	exec 8>"$top/.lock"
	flock -w 600 8 || { echo "build-kernel: --icecc: $top/.lock stayed taken for 10 min" >&2; return 1; }
	if ! { [ -f "$dir/name" ] && name=$(cat "$dir/name") && [ -f "$dir/$name" ]; }; then
		echo "build-kernel: --icecc: making the compiler environment for the cluster (once per compiler) in $dir"
		rm -rf "$dir"
		tmp=$(mktemp -d "$top/.new.XXXXXX")
		# icecc-create-env writes <md5>.tar.gz into the current directory and
		# its name on fd 5.
		if ! (cd "$tmp" && timeout 600 icecc-create-env "$(command -v gcc)" >create-env.log 2>&1 5>name) ||
		   ! name=$(cat "$tmp/name") || [ ! -f "$tmp/$name" ]; then
			echo "build-kernel: --icecc: icecc-create-env failed; last lines of its log:" >&2
			tail -n 5 "$tmp/create-env.log" >&2 || true
			rm -rf "$tmp"
			exec 8>&-
			return 1
		fi
		mv "$tmp" "$dir"
	fi
	exec 8>&-
	icecc_version=$dir/$(cat "$dir/name")
}

icecc_daemon() {
	local s
	# Where the icecc client looks for its local daemon, in its order.
	if [ -n "${ICECC_TEST_SOCKET:-}" ]; then
		[ -S "$ICECC_TEST_SOCKET" ]
		return
	fi
	for s in /var/run/icecc/iceccd.socket /var/run/iceccd.socket "${HOME:-/nonexistent}/.iceccd.socket"; do
		[ -S "$s" ] && return 0
	done
	timeout 2 bash -c ': </dev/tcp/127.0.0.1/10245' 2>/dev/null
}
