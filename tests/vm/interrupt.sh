#!/usr/bin/env bash
# Fault: the user presses Ctrl-C while the VM runs. pipehang must kill
# QEMU, remove its temp files and exit 130.
#   interrupt.sh PIPEHANG   (run under expect.sh, which sets TMPDIR)
set -uo pipefail
. "$(dirname "$0")/sleeping-vm.sh"
start_sleeping_vm "$1" 'PIPEHANG: boot'
echo "interrupt.sh: guest booted; sending SIGINT to pipehang ($vm_pid)"
kill -INT "$vm_pid"
wait "$vm_pid"
rc=$?
remove_sleeping_vm_files
exit $rc
