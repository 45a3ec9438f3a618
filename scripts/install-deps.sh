#!/usr/bin/env bash
# Installs the Debian packages pipehang needs, or says exactly which are
# missing when it cannot install them (not root, no apt-get).
# Usage: scripts/install-deps.sh [build|vm|kernel-build|browser|lab]...
#   build         compilers and libraries for userspace, reproducers, tests
#   vm            QEMU, busybox, e2fsprogs, kernel headers: the VM tests and 'make run'
#   kernel-build  what building a kernel from linux-source-6.1 needs (bisect demo),
#                 and icecc for build-kernel.sh --icecc (its daemon is not started)
#   browser       headless Chromium, for the tests that render the HTML reports
#                 (make test installs it in the background, beside the C++ build)
#   lab           a local LAVA lab (scripts/lab/up.sh): lava-server, lava-dispatcher,
#                 PostgreSQL, QEMU; no daemon of theirs is started by the install
set -euo pipefail

declare -A GROUP
GROUP[build]="build-essential cmake pkg-config clang libclang-rt-14-dev liburing-dev libseccomp-dev
  libgtest-dev googletest libcli11-dev nlohmann-json3-dev libfmt-dev libssl-dev libelf-dev
  clang-format libyaml-cpp-dev libcurl4-openssl-dev"
GROUP[vm]="qemu-system-x86 busybox-static e2fsprogs cpio kmod zstd xz-utils
  linux-headers-amd64 dpkg-dev jq dwarves"
# icecc: build-kernel.sh --icecc and tests/kernel/icecc_build.sh (its own
# scheduler and daemons, started by the test); with --no-install-recommends
# it pulls nothing else on bookworm (logrotate is only recommended).
# iproute2 (ip, ss): that test's network namespace and its socket check.
GROUP[kernel-build]="linux-source-6.1 bc bison flex libssl-dev libelf-dev ccache icecc iproute2"
GROUP[browser]="chromium"
# python3-eventlet: up.sh runs gunicorn with lava-server's own worker class;
# curl, jq, iproute2 (ss), procps (pgrep): up.sh, down.sh and tests/lab.
GROUP[lab]="lava-server lava-dispatcher lava-common lavacli postgresql python3 python3-eventlet
  gunicorn qemu-system-x86 curl jq iproute2 procps util-linux"

groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build vm)

wanted=()
for g in "${groups[@]}"; do
  [ -n "${GROUP[$g]:-}" ] || { echo "install-deps: unknown group '$g' (build, vm, kernel-build, browser, lab)" >&2; exit 2; }
  # shellcheck disable=SC2206
  wanted+=(${GROUP[$g]})
done

missing=()
for p in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: run as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# postgresql's and lava's postinsts start their daemons through invoke-rc.d
# where it may (no systemd here: by their /etc/init.d scripts): a system
# PostgreSQL on port 5432, lava-server-gunicorn, lava-worker, ... that
# nobody stops, and lava-server's postinst would then create its database
# in that cluster. icecc's postinst likewise (re)starts iceccd, a compile
# daemon on TCP 10245 of every interface that looks for a scheduler by
# broadcast on the LAN. The lab and the icecc test run daemons of their
# own, so a policy-rc.d that forbids starts (101) is in place while apt-get
# runs, unless the machine has one already.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# install-deps.sh: no daemon starts during the install\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  trap 'rm -f "$policy"' EXIT
fi
# A stale package list makes apt-get install fail with 404s; refresh first.
timeout 600 apt-get update -qq
timeout 1800 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
