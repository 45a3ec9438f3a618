// One instance of the standard guest: a fresh temp dir with a fresh ext4
// disk, the cached base image plus a per-boot archive (/run.conf and any
// files), QEMU under the host-side watchdog, then the console, its
// PIPEHANG: markers and how the instance ended, as a type. `pipehang vm`
// and the oracle both boot through run_instance(); nothing else starts
// QEMU. The temp dir is removed on every path out, interrupts included.
#pragma once

#include "guest/guest_image.h"
#include "guest/kernel.h"
#include "guest/markers.h"
#include "guest/qemu.h"
#include "guest/settings.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::guest {

// How an instance ended. Only `infra_error` and `interrupted` are the
// harness's problem; the others say something about the kernel (or the
// caller's own watcher) and are the caller's to judge.
enum class InstanceEnd {
	exited,      // QEMU exited by itself after the guest booted (power-off, reboot, panic)
	boot_failed, // QEMU ended, or was stopped, before the guest init's boot marker
	watchdog,    // booted, and still running at the absolute time limit
	stopped,     // booted, and the caller's watcher asked to stop (early stop, stall)
	infra_error, // QEMU could not start, was killed from outside, or failed by itself
	interrupted, // SIGINT/SIGTERM reached us: the VM is killed, nothing is left behind
};
std::string_view to_string(InstanceEnd e);

struct InstanceRequest {
	const Kernel *kernel = nullptr;
	const GuestImage *image = nullptr;
	GuestSettings settings;
	// The guest init's PH_MODE: "script" runs /test.sh, "oracle" the
	// reproducer runs. CONF adds /run.conf keys beyond the common ones.
	std::string mode = "script";
	std::map<std::string, std::string> conf;
	std::map<std::string, std::string> files; // further guest files, e.g. /test.sh
	std::chrono::seconds timeout{300};        // the absolute watchdog
	// The serial console is written here as it arrives (kept even when the
	// harness fails mid-boot); none if empty.
	std::filesystem::path console_file;
	ConsoleWatcher watch; // may stop the VM early (returns a reason)
	ConsoleSink sink;     // every console chunk, as it arrives (optional)
};

struct InstanceResult {
	InstanceEnd end = InstanceEnd::infra_error;
	std::string reason;  // why, for anything but `exited`
	std::string console; // everything the serial console printed
	std::vector<Marker> markers;
	bool booted = false;      // the boot marker is there
	double boot_seconds = -1; // host time from QEMU start to the boot marker
	double seconds = 0;       // QEMU's whole run
	std::string accel;        // kvm or tcg
	std::size_t console_bytes() const { return console.size(); }
};

// Boots REQ's kernel with the standard guest. Throws std::invalid_argument
// for a request without kernel or image, std::runtime_error when the temp
// disk, initrd or console file cannot be written; every end of QEMU itself
// is in the result.
InstanceResult run_instance(const InstanceRequest &req);

// An instance's console as it arrives, to REQ's console file (kept even
// when the harness fails mid-boot) and REQ's sink: what every runner does
// with the console it reads. The constructor and finish() throw
// std::runtime_error when the file cannot be written.
class ConsoleTee {
public:
	explicit ConsoleTee(const InstanceRequest &req);
	void write(std::string_view chunk);
	void finish(); // the last flush, checked (disk full?)

private:
	const InstanceRequest &req_;
	std::ofstream file_;
};

// Where an instance boots: run_instance() on this machine, or a lab's job
// (lab/lab_runner.h). Every backend takes the same request and hands back
// the same result: the console and how the instance ended.
using InstanceRunner = std::function<InstanceResult(const InstanceRequest &)>;

// The boot's initrd, written to PATH: the cached base image, then the
// per-boot archive (/run.conf from REQ's settings, mode and conf, and REQ's
// files). run_instance() and a lab's job boot the same bytes.
void write_boot_initrd(const InstanceRequest &req, const std::filesystem::path &path);

// The whole kernel command line of a boot with SETTINGS.
std::string boot_cmdline(const GuestSettings &settings);

// The guest's largest write request on a throttled disk (see instance.cpp):
// QEMU's throttle only bites on small unmerged requests.
inline constexpr unsigned kThrottledRequestKb = 64;

// KEY='value' lines for /run.conf (sourced by the guest's sh).
std::string shell_assignments(const std::map<std::string, std::string> &vars);

} // namespace pipehang::guest
