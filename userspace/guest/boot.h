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

// Largest write request (KiB) the guest sends to a throttled test disk.
inline constexpr unsigned kThrottledRequestKb = 64;

struct BootRequest {
	const Kernel *kernel = nullptr;
	const GuestImage *image = nullptr;
	std::map<std::string, std::string> files; // guest path -> content, e.g. /run.conf
	QemuOptions qemu;                          // kernel/initrd/disk are filled in
	std::uint64_t disk_mb = 256;
	ConsoleWatcher watch;
	ConsoleSink sink;
};

struct BootResult {
	QemuResult qemu;
	std::vector<Marker> markers;
	bool booted = false; // the boot marker is there
	double boot_seconds = -1; // host time from QEMU start to the boot marker
};

BootResult boot_guest(const BootRequest &req);

// KEY='value' lines for /run.conf (sourced by the guest's sh).
std::string shell_assignments(const std::map<std::string, std::string> &vars);

} // namespace pipehang::guest
