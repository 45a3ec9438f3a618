// One boot of a guest: fresh temp dir with a fresh ext4 disk, the cached
// base image plus a per-boot archive (/run.conf, /test.sh, ...), QEMU with
// the watchdog, then the console and its PIPEHANG: markers. The temp dir
// (disk, initrd) is removed on every path out, interrupts included.
#pragma once

#include "guest/guest_image.h"
#include "guest/kernel.h"
#include "guest/markers.h"
#include "guest/qemu.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pipehang::guest {

struct BootRequest {
	const Kernel *kernel = nullptr;
	const GuestImage *image = nullptr;
	std::map<std::string, std::string> files; // guest path -> content, e.g. /run.conf
	QemuOptions qemu;                         // kernel/initrd/disk are filled in
	std::uint64_t disk_mb = 256;
	ConsoleWatcher watch;
	ConsoleSink sink;
};

struct BootResult {
	QemuResult qemu;
	std::vector<Marker> markers;
	bool booted = false;      // the boot marker is there
	double boot_seconds = -1; // host time from QEMU start to the boot marker
};

BootResult boot_guest(const BootRequest &req);

// The machine and guest settings every boot shares, whoever asks for it
// (`pipehang vm`, the oracle): one struct so both boot the same machine.
struct GuestSettings {
	std::string qemu = "qemu-system-x86_64";
	std::string accel = "auto"; // auto, kvm, tcg
	std::string append;         // extra kernel command line
	int memory_mb = 1024;
	int smp = 2;
	std::uint64_t disk_mb = 256;
	std::uint64_t throttle_bps = 0;  // disk write bytes/s; 0: none
	std::uint64_t throttle_iops = 0; // disk write ops/s; 0: none
	int hung_secs = 3;               // guest kernel.hung_task_timeout_secs
	std::string module_args = "wait_threshold_ms=1000 hung_threshold_ms=2000";
};

// A request to boot K with IMG under S: QEMU options and the common
// /run.conf keys (module, its arguments, hung-task timeout) filled in.
// MODE is the guest init's PH_MODE ("script", "oracle"); EXTRA adds or
// overrides /run.conf keys. The caller sets the timeout, watcher, sink
// and any further files.
BootRequest make_boot_request(const Kernel &k, const GuestImage &img, const GuestSettings &s, const std::string &mode,
			      const std::map<std::string, std::string> &extra = {});

// KEY='value' lines for /run.conf (sourced by the guest's sh).
std::string shell_assignments(const std::map<std::string, std::string> &vars);

} // namespace pipehang::guest
