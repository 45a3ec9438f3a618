#!/usr/bin/env bash
# Fault: QEMU dies mid-run (SIGKILL from outside). pipehang must call it a
# harness error (128), not a kernel verdict, and leave nothing behind.
#   kill-qemu.sh PIPEHANG   (run under expect.sh, which sets TMPDIR)
set -uo pipefail
. "$(dirname "$0")/sleeping-vm.sh"
start_sleeping_vm "$1" 'PIPEHANG: module'
qemu=$(pgrep -f -- "qemu-system-x86_64.*$TMPDIR/" | head -1)
echo "kill-qemu.sh: guest booted; killing QEMU pid ${qemu:-none} with SIGKILL"
[ -n "$qemu" ] && kill -9 "$qemu"
wait "$vm_pid"
rc=$?
remove_sleeping_vm_files
exit $rc
