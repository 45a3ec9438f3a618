# Sourced by the fault tests (interrupt.sh, kill-qemu.sh): start
# `pipehang vm` with a guest that sleeps, then wait until its console shows
# a marker, at most 300 s (the test goes on either way and its expectation
# decides; CTest's TIMEOUT bounds the whole).
#   start_sleeping_vm PIPEHANG MARKER   sets vm_pid; needs TMPDIR
#   remove_sleeping_vm_files
vm_script=$TMPDIR/sleep.sh
vm_console=$TMPDIR/console.log

start_sleeping_vm() {
	local pipehang=$1 marker=$2
	echo 'sleep 120' >"$vm_script"
	"$pipehang" vm --script "$vm_script" --console "$vm_console" --timeout 400 &
	vm_pid=$!
	for _ in $(seq 1 600); do
		grep -q "$marker" "$vm_console" 2>/dev/null && return 0
		sleep 0.5
	done
	echo "sleeping-vm: no '$marker' on the console after 300 s" >&2
}

remove_sleeping_vm_files() {
	rm -f "$vm_script" "$vm_console"
}
