// The machine and guest settings every boot shares, whoever asks for it
// (`pipehang vm`, the oracle, the bisect driver): the one home of their
// defaults. The CLI binds its flags to these fields and prints the values
// found here in --help; QemuOptions and the guest init have none of their
// own.
#pragma once

#include <cstdint>
#include <string>

namespace pipehang::guest {

struct GuestSettings {
	std::string qemu = "qemu-system-x86_64"; // the QEMU binary, from PATH
	std::string accel = "auto";              // auto (bounded KVM probe, else TCG), kvm, tcg, tcg-single
	std::string append;                      // extra kernel command line
	int memory_mb = 1024;
	int smp = 2;
	std::uint64_t disk_mb = 256;     // the fresh ext4 test disk
	std::uint64_t throttle_bps = 0;  // disk write bytes/s; 0: none
	std::uint64_t throttle_iops = 0; // disk write ops/s; 0: none
	// The guest's kernel.hung_task_timeout_secs: seconds, not the stock
	// 120, so a hang is reported inside one short run.
	int hung_secs = 3;
	// insmod parameters for pipewatch.ko beyond the module's own defaults
	// (kmod/pw_main.c): its D-state scan reports after 2 s instead of 10,
	// below hung_secs, so pipewatch names the holder before the kernel's
	// hung-task report ends the run.
	std::string module_args = "hung_threshold_ms=2000";
};

} // namespace pipehang::guest
