// Booting a guest under QEMU with a host-side watchdog that always ends
// it: an absolute time limit plus a caller-supplied console watcher that
// can stop the VM (stall, early stop on the target report). QEMU runs in
// its own process group and is killed with SIGTERM then SIGKILL; it also
// dies with us (PR_SET_PDEATHSIG).
#pragma once

#include "util/process.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace pipehang::guest {

// Filled in by run_instance() from GuestSettings (guest/settings.h, the
// one home of their defaults): nothing here has a default of its own.
struct QemuOptions {
	std::string qemu; // the QEMU binary
	std::filesystem::path kernel;
	std::filesystem::path initrd;
	std::filesystem::path disk;      // raw image on virtio-blk; none if empty
	std::uint64_t throttle_bps = 0;  // write bytes/s limit on the disk; 0: none
	std::uint64_t throttle_iops = 0; // write ops/s limit; 0: none
	bool throttled() const { return throttle_bps || throttle_iops; }
	std::string append; // extra kernel command line
	int memory_mb = 0;
	int smp = 0;
	std::string accel; // auto (bounded KVM probe, else TCG), kvm, tcg, tcg-single
	std::chrono::seconds timeout{0};
};

struct QemuResult {
	util::ProcResult proc;
	std::string accel;       // what was used: kvm, tcg or tcg-single
	std::string console;     // everything the serial console printed
	std::string stop_reason; // why the watchdog/watcher stopped it; empty if it exited by itself
	std::vector<std::string> command;
	double seconds = 0;
};

// Returns a non-empty reason to stop the VM now. Called after new console
// output and about every 100 ms.
using ConsoleWatcher = std::function<std::string(const std::string &console)>;
// Receives every console chunk as it arrives (tee to a file / stdout).
using ConsoleSink = std::function<void(std::string_view)>;

QemuResult run_qemu(const QemuOptions &opt, const ConsoleWatcher &watch, const ConsoleSink &sink);

// The kernel command line pipehang always uses (serial console, our init,
// reboot on panic so -no-reboot ends QEMU).
std::string base_kernel_cmdline();

// Does KVM really run a guest here? Two bounded probes: a child process
// creates a VM whose vCPU executes one HLT (rules out hosts without KVM
// quickly), then QEMU itself boots KERNEL with -accel kvm and must print
// the kernel banner within LIMIT (nested KVM that aborts on an MSR or
// hangs silently fails this one). The answer is cached per host boot in
// the cache dir, since the probe costs a few seconds.
bool kvm_works(const std::string &qemu, const std::filesystem::path &kernel,
	       std::chrono::milliseconds limit = std::chrono::milliseconds(6000));

} // namespace pipehang::guest
