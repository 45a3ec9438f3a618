#!/usr/bin/env bash
# build-kernel.sh --icecc against a real icecream cluster on this machine:
# icecc-scheduler and two iceccd (this machine's daemon, which takes no
# jobs, and a compile node), reachable on loopback only, state and logs in
# a temporary directory. It rebuilds the bisect fixture's checked-out
# revision with one fs/*.c file made to miss ccache, and checks from the
# daemons' and icecc's own logs that this compile went through ccache to
# icecc, was scheduled onto the node and compiled there, in the compiler
# environment build-kernel.sh made and cached, giving the very bytes a
# local compile gives -- and that the kernel built. No mocks: the icecc,
# iceccd and icecc-scheduler of Debian's package icecc (the node is only
# shown a still /proc/stat, so that other tests' CPU use does not make it
# refuse jobs: below). Measured warm:
# 29-46 s on the shared 2-core machine, 53 s beside a make test
# (docs/bisect.md, "icecc").
#
# Loopback only. icecc-scheduler binds 127.0.0.1 with `-i lo` (TCP 8765
# for daemons, 8766 for monitors, UDP 8765 for discovery). iceccd 1.4
# cannot: with `-i IF` it binds IF's address and then, "always listen on
# the loopback", 127.0.0.1 on the same port again, which fails
# (EADDRINUSE; with `-i lo` it gives up after five tries, exit 1); without
# `-i` it listens on 0.0.0.0:PORT and broadcasts on every interface looking
# for networks. So the whole test runs in a network namespace of its own
# (unshare --net) with only `lo` in it: nothing of theirs can be reached
# from, or send to, anything beyond this machine's loopback, and their
# default ports cannot collide with a real cluster's daemon on the host.
# The build runs in that namespace too (the client talks to the nodes over
# TCP).
#
# Two icecc test hooks (environment variables icecc's own test suite uses)
# make one machine behave like a cluster: ICECC_TEST_SOCKET, the local
# daemon's unix socket (not the system one, /var/run/icecc/iceccd.socket),
# and ICECC_TEST_REMOTEBUILD=1: every node here has the address 127.0.0.1,
# which the client takes for itself ("building myself, but telling
# localhost"); with it the job goes over TCP to the node as to another
# machine.
#
# Usage: tests/kernel/icecc_build.sh REPO_ROOT    (as root: the namespace,
#        and the node's chroot for compile jobs; PIPEHANG_ICECC_TEST_KEEP=1
#        keeps the state and logs)
set -euo pipefail
root=$(cd "${1:?usage: icecc_build.sh REPO_ROOT}" && pwd)
fail() { echo "FAIL: $*"; exit 1; }
export PIPEHANG_ICECC_TEST_STARTED=${PIPEHANG_ICECC_TEST_STARTED:-$(date +%s)}

if [ "${PIPEHANG_ICECC_TEST_NETNS:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || fail "needs root: a network namespace of its own and iceccd's chroot"
	for c in icecc iceccd icecc-scheduler icecc-create-env ccache unshare ip ss flock; do
		command -v "$c" >/dev/null || fail "$c is not installed (scripts/install-deps.sh kernel-build)"
	done
	id icecc >/dev/null 2>&1 || fail "no user icecc (made by the postinst of the package icecc)"
	PIPEHANG_ICECC_TEST_NETNS=1 exec unshare --net -- bash "$0" "$@"
fi

# In the namespace: only lo, brought up.
ip link set lo up
ifaces=$(ip -o link show | awk -F': ' '{print $2}' | sort -u | tr '\n' ' ')
[ "$ifaces" = "lo " ] || fail "the test's network namespace has more than lo: $ifaces"

state=$(mktemp -d "${TMPDIR:-/tmp}/pipehang-icecc-test.XXXXXX")
# The scheduler drops to the user icecc and writes its log here.
chown icecc:icecc "$state"
pids=()
stop() { # the daemons, by pid: TERM, then KILL after 5 s
	local rc=$? p
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.5
	done
	for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	if [ $rc -ne 0 ]; then
		for l in scheduler local node icecc; do
			[ -f "$state/$l.log" ] || continue
			echo "--- last lines of the $l log"
			tail -n 15 "$state/$l.log"
		done
	fi
	if [ "${PIPEHANG_ICECC_TEST_KEEP:-0}" = 1 ]; then
		echo "icecc_build: logs kept in $state"
	else
		rm -rf "$state"
	fi
	return $rc
}
trap stop EXIT
trap 'exit 130' INT TERM

# The fixture first (one user at a time; a 25 min bounded wait): the
# daemons do not idle meanwhile.
# shellcheck source=../../scripts/bisect-demo/fixture-lock.sh
source "$root/scripts/bisect-demo/fixture-lock.sh"
lock_fixture icecc_build || fail "no bisect fixture to use"
[ -f "$fixture/vmlinux" ] && [ -f "$fixture/.config" ] ||
	fail "fixture $fixture is not built (bisect_demo_e2e builds it)"
# The file that goes to the cluster: compiled in this configuration, and
# the only file of its name (its per-object flags below apply by name).
src=fs/file_table.c obj=fs/file_table.o
[ -f "$fixture/$obj" ] || fail "$obj is not built in the fixture's configuration"
[ "$(find "$fixture" -name "${src##*/}" -not -path "$fixture/tools/*" | wc -l)" = 1 ] ||
	fail "more than one ${src##*/} in the fixture"

net=pipehang-icecc-test-$$
icecc-scheduler -i lo -n "$net" -l "$state/scheduler.log" -vvv >>"$state/scheduler.out" 2>&1 &
pids+=($!)
# This machine's daemon, as a developer's: takes no compile jobs, asks the
# scheduler where to send them.
ICECC_TEST_SOCKET=$state/local.socket iceccd --no-remote -s 127.0.0.1 -n "$net" -N pipehang-local \
	-b "$state/envs-local" -l "$state/local.log" -vvv >>"$state/local.out" 2>&1 &
pids+=($!)
# The cluster's compile node. It reads the machine's CPU use from
# /proc/stat and, under 10 % idle, reports itself full (icecream's rule:
# load 1000), so the scheduler holds every job for it: with make test's
# other tests on the 2 cores this took the build from ~25 s to 280 s
# (measured). A real node is a machine of its own; this one is shown a
# still copy of /proc/stat (bind-mounted in a mount namespace of its own:
# no CPU time passes, which iceccd reads as idle). Nothing else sees it.
cp /proc/stat "$state/proc-stat"
# shellcheck disable=SC2016 # $0, $@: the inner sh's
ICECC_TEST_SOCKET=$state/node.socket unshare --mount --propagation private -- \
	sh -c 'mount --bind "$0" /proc/stat && exec "$@"' "$state/proc-stat" \
	iceccd -p 10246 -m 2 -s 127.0.0.1 -n "$net" -N pipehang-node \
	-b "$state/envs-node" -l "$state/node.log" -vvv >>"$state/node.out" 2>&1 &
pids+=($!)
# Both daemons logged in: each holds a connection to the scheduler's port
# (read from the sockets, not the logs, which iceccd writes late).
logged_in=0
for _ in $(seq 60); do
	logged_in=$(ss -Htnp state established '( dport = :8765 )' | grep -c '"iceccd"' || true)
	[ "$logged_in" -ge 2 ] && break
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || fail "an icecc daemon (pid $p) exited at start"; done
	sleep 0.5
done
[ "$logged_in" -ge 2 ] || fail "the daemons did not connect to the scheduler within 30 s"

echo "icecc: listening sockets of the scheduler and the daemons (namespace interfaces: $ifaces):"
ss -Hltnup | grep -E '"(icecc-scheduler|iceccd)"' | tee "$state/listening"
while read -r netid _ _ _ local _ users; do
	case $users in
	*'"icecc-scheduler"'*) [[ $local == 127.0.0.1:* ]] || fail "the scheduler listens on $local ($netid), not 127.0.0.1" ;;
	*) [[ $local == 127.0.0.1:* || $local == 0.0.0.0:* || $local == '*:'* || $local == '[::]:'* ]] ||
		fail "iceccd listens on $local ($netid)" ;;
	esac
done <"$state/listening"
echo "icecc: scheduler on 127.0.0.1 (-i lo); iceccd on the wildcard address of a namespace whose only interface is lo"

# Touching the file would not do: ccache would answer from its cache (same
# source, same flags) and nothing would reach icecc. Nor would a -D: in
# its preprocessor mode ccache hashes the preprocessed source, which an
# unused define leaves as it was (measured: preprocessed_cache_hit). So
# kbuild's per-object flags (CFLAGS_<stem>.o, from the environment) add
# -include of a header declaring a name new each run: a ccache miss for
# this object alone, the same code (an unused extern declaration emits
# nothing), and every other compile make runs is ccache's. The next
# ordinary build recompiles the file once more (its command line changed
# back; the header, gone, is a dependency kbuild tolerates), from ccache.
nonce=$(date +%s%N)
printf 'extern int pipehang_icecc_test_%s;\n' "$nonce" >"$state/icecc-test.h"
stamp=$state/before-build
touch "$stamp" "$fixture/$src"
echo "icecc: building $fixture (revision $(git -C "$fixture" rev-parse --short HEAD)) with --icecc --jobs 4"
build_start=$(date +%s)
rc=0
env "CFLAGS_${obj##*/}=-include $state/icecc-test.h" \
	PIPEHANG_BUILD_CACHE=0 \
	ICECC_TEST_SOCKET="$state/local.socket" ICECC_TEST_REMOTEBUILD=1 ICECC_PREFERRED_HOST=pipehang-node \
	ICECC_DEBUG=debug ICECC_LOGFILE="$state/icecc.log" CCACHE_LOGFILE="$state/ccache.log" \
	timeout 480 "$root/scripts/kernel/build-kernel.sh" --icecc --jobs 4 "$fixture" 2>&1 |
	tee "$state/build.out" || rc=$?
build_s=$(( $(date +%s) - build_start ))
[ "$rc" = 0 ] || fail "build-kernel.sh --icecc exited $rc"
grep -q "(ccache gcc, CCACHE_PREFIX=icecc)" "$state/build.out" ||
	fail "build-kernel.sh did not build with ccache in front of icecc"
[ "$fixture/arch/x86/boot/bzImage" -nt "$stamp" ] && [ "$fixture/vmlinux" -nt "$stamp" ] ||
	fail "no new vmlinux and bzImage"

# ccache in front: it missed on the file and ran icecc for it.
grep -qE "Executing [^ ]*icecc .*$src" "$state/ccache.log" ||
	fail "ccache's log shows no icecc run for $src"
hits=$(grep -cE 'Result: (direct|preprocessed)_cache_hit' "$state/ccache.log" || true)
misses=$(grep -c 'Result: cache_miss' "$state/ccache.log" || true)
# icecc: the file was scheduled onto the node (127.0.0.1:10246), not built here.
client=$(grep -F "invoked as: " "$state/icecc.log" | grep -F -- "$src" | head -n 1 | sed 's/^ICECC\[\([0-9]*\)\].*/\1/')
[ -n "$client" ] || fail "icecc's log shows no compile of $src"
grep -F "ICECC[$client]" "$state/icecc.log" | grep -q "Have to use host 127.0.0.1:10246" ||
	fail "icecc did not send $src to the node: $(grep -F "ICECC[$client]" "$state/icecc.log" | tail -n 3)"
# The node: installed the environment build-kernel.sh made (the tarball in
# $PIPEHANG_CACHE/icecc-env/, named by its md5), and compiled the file.
env_tar=$(ls "$PIPEHANG_CACHE"/icecc-env/gcc-*/*.tar.* 2>/dev/null | head -n 1)
[ -n "$env_tar" ] || fail "no compiler environment under $PIPEHANG_CACHE/icecc-env"
env_md5=$(basename "${env_tar%%.tar.*}")
found=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	kill -HUP "${pids[2]}" # iceccd writes its log out on SIGHUP
	sleep 0.5
	if grep -q "Verify environment done, success, environment $env_md5" "$state/node.log" &&
	   grep -q "remote compile for file .*$src" "$state/node.log" &&
	   grep -q "Remote compilation completed with exit code 0" "$state/node.log"; then
		found=1
		break
	fi
done
[ $found = 1 ] || fail "the node's log shows no environment $env_md5 installed and $src compiled"
# The node's object is this machine's: kbuild's own recipe for it (from
# its .cmd file: the compile, then objtool on the object), run here on a
# copy without ccache or the cluster, gives the same bytes -- so kernel
# signatures, ccache's entries and the build cache hold with --icecc.
cmdfile=$fixture/$(dirname "$obj")/.$(basename "$obj").cmd
cmd=$(sed -n "s|^cmd_$obj := ||p" "$cmdfile")
[ -n "$cmd" ] || fail "no command for $obj in $cmdfile"
dep="-Wp,-MMD,$(dirname "$obj")/.$(basename "$obj").d"
[[ $cmd == *"$dep "* && $cmd == *"-o $obj "* ]] || fail "unexpected kbuild command for $obj: $cmd"
# Every mention of the object (-o, objtool's argument) and its .d file
# goes to the state directory: nothing in the tree is written.
cmd=${cmd/"$dep "/"-Wp,-MMD,$state/local.d "}
cmd=${cmd//" $obj"/" $state/local.o"}
[[ $cmd != *" $obj"* ]] || fail "cannot redirect the kbuild command for $obj: $cmd"
(cd "$fixture" && CCACHE_DISABLE=1 timeout 120 sh -c "$cmd") || fail "the local compile of $src failed"
cmp -s "$fixture/$obj" "$state/local.o" || fail "$obj from the node differs from a local compile"
remote=$(grep -c "Remote compilation completed with exit code 0" "$state/node.log")
echo "icecc: $src compiled on the node ($remote compile job(s) there), byte-identical to a local compile;" \
     "environment $env_md5 ($env_tar);" \
     "ccache: $hits hit(s), $misses miss(es)"
echo "icecc_build: ok: kernel built through icecc in ${build_s}s (test $(( $(date +%s) - PIPEHANG_ICECC_TEST_STARTED ))s)"
