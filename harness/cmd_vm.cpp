// `pipehang vm`: the low-level VM primitive (README contract 7). Boots a
// kernel with the standard guest (busybox, reproducers, pipewatch.ko, a
// fresh ext4 disk at /mnt/ext4), runs a script in it, powers off.
#include "command.h"
#include "flag_checks.h"
#include "guest_options.h"

#include "guest/instance.h"
#include "guest/kernel.h"
#include "oracle/emulator_fault.h"
#include "paths.h"
#include "report/classifier.h"
#include "util/exit_status.h"
#include "util/interrupt.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace pipehang::cli {
namespace {

using namespace pipehang::guest;
using namespace pipehang::util;

struct VmArgs {
	std::string kernel;
	std::string script;
	GuestSettings guest;
	int timeout = 300;
	std::string console;
	bool no_module = false;
	bool quiet = false;
};

int run_vm(const VmArgs &a)
{
	install_interrupt_handlers();
	set_quiet(a.quiet);
	try {
		if (!have_program(a.guest.qemu)) {
			std::fprintf(stderr,
				     "pipehang vm: harness error: QEMU not found: '%s' (install qemu-system-x86 or "
				     "pass --qemu)\n",
				     a.guest.qemu.c_str());
			return exit_status::error;
		}
		std::string script;
		if (!a.script.empty()) {
			try {
				script = read_file(a.script);
			} catch (const std::exception &) {
				std::fprintf(stderr, "pipehang vm: harness error: cannot read --script %s\n",
					     a.script.c_str());
				return exit_status::error;
			}
		}
		std::string spec = a.kernel.empty() ? default_debian_kernel() : a.kernel;
		Kernel k = resolve_kernel(spec);
		progress("kernel {} ({}, release {}, sha256 {})", k.bzimage.string(), to_string(k.kind),
			 k.release.empty() ? "?" : k.release, k.signature.substr(0, 16));
		GuestImage img = build_guest_image(k, image_options(!a.no_module));
		if (!img.missing_modules.empty())
			progress("warning: kernel modules not found: {}", fmt::join(img.missing_modules, ", "));
		if (!a.no_module && !img.module.ok)
			progress("warning: continuing without pipewatch.ko: {}", img.module.error);

		InstanceRequest req;
		req.kernel = &k;
		req.image = &img;
		req.settings = a.guest;
		req.mode = "script";
		if (!a.script.empty())
			req.files["/test.sh"] = script;
		req.timeout = std::chrono::seconds(a.timeout);
		req.console_file = a.console;
		req.sink = [](std::string_view chunk) {
			std::fwrite(chunk.data(), 1, chunk.size(), stdout);
			std::fflush(stdout);
		};
		progress("booting {} ({}{})", k.release.empty() ? k.spec : k.release,
			 a.guest.throttle_bps ? fmt::format("disk write limit {} B/s, ", a.guest.throttle_bps) : "",
			 fmt::format("timeout {} s", a.timeout));
		auto boot = [&] {
			InstanceResult r = run_instance(req);
			if (r.end != InstanceEnd::infra_error && r.end != InstanceEnd::interrupted)
				progress("VM ended after {:.1f} s ({}, boot marker at {})", r.seconds, r.accel,
					 r.booted ? fmt::format("{:.1f} s", r.boot_seconds) : std::string("never"));
			return r;
		};
		InstanceResult r = boot();
		if (r.end != InstanceEnd::infra_error && r.end != InstanceEnd::interrupted)
			if (auto fault = oracle::emulator_fault(1, r.accel, a.guest.smp, r.markers,
								report::classify(r.console))) {
				// The emulator's doing, not the kernel's (oracle/emulator_fault.h):
				// once more with one TCG thread, and that boot's end is the answer.
				std::string single(oracle::kFaultFreeAccel);
				std::fprintf(stderr, "pipehang vm: %s; re-booting under %s\n",
					     oracle::fault_line(*fault).c_str(), single.c_str());
				if (!a.console.empty()) {
					std::error_code ec;
					std::filesystem::rename(a.console, a.console + ".boot1", ec);
					if (!ec)
						progress("the faulted boot's console kept in {}.boot1", a.console);
				}
				req.settings.accel = single;
				r = boot();
			}
		switch (r.end) {
		case InstanceEnd::interrupted:
			std::fprintf(stderr, "pipehang vm: %s: VM stopped, temporary files removed\n",
				     r.reason.c_str());
			return exit_status::interrupted;
		case InstanceEnd::infra_error:
			std::fprintf(stderr, "pipehang vm: harness error: %s\n", r.reason.c_str());
			return exit_status::error;
		case InstanceEnd::boot_failed:
			std::fprintf(stderr, "pipehang vm: boot failed: %s\n", r.reason.c_str());
			return exit_status::boot_failed;
		case InstanceEnd::watchdog:
		case InstanceEnd::stopped:
			std::fprintf(stderr, "pipehang vm: %s\n", r.reason.c_str());
			return exit_status::timeout;
		case InstanceEnd::exited: break;
		}
		auto script_marker = find_marker(r.markers, "script");
		if (!script_marker || !script_marker->data.contains("exit")) {
			std::fprintf(stderr,
				     "pipehang vm: the VM ended before the script finished (crash or panic?)\n");
			return exit_status::guest_died;
		}
		int rc = script_marker->data["exit"].get<int>();
		progress("guest script exit status {}", rc);
		return rc;
	} catch (const KernelError &e) {
		std::fprintf(stderr, "pipehang vm: harness error: %s\n", e.what());
		return exit_status::error;
	} catch (const Interrupted &e) {
		std::fprintf(stderr, "pipehang vm: %s: VM stopped, temporary files removed\n", e.what());
		return exit_status::interrupted;
	}
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<VmArgs>();
	app.description(fmt::format(
		"Boot a kernel in a QEMU test VM with the standard pipehang guest, run a script in it, power off.\n"
		"Exit status: the script's, or {} boot failed, {} watchdog timeout, {} VM ended before the\n"
		"script finished, {} harness error (bad input, QEMU missing/killed), {} interrupted.",
		exit_status::boot_failed, exit_status::timeout, exit_status::guest_died, exit_status::error,
		exit_status::interrupted));
	app.add_option("--kernel", a->kernel,
		       "bzImage file, kernel build tree, Debian linux-image .deb, or Debian kernel version "
		       "(e.g. 6.1.0-56-amd64; fetched with apt-get download into the cache). Default (flag left out; "
		       "an empty value is refused): newest Debian 6.1 image")
		->check(not_empty(kKernelHint));
	app.add_option("--script", a->script,
		       "shell script run in the guest as /test.sh (cwd /mnt/ext4); its exit status is ours. A "
		       "readable regular file (a directory is refused)")
		->check(readable_file());
	app.add_option("--timeout", a->timeout, "watchdog: kill the VM after SEC seconds")
		->capture_default_str()
		->check(CLI::Range(1, 86400));
	app.add_option("--console", a->console, "also write the serial console to FILE")->check(writable_file());
	app.add_flag("--no-module", a->no_module, "do not build or load pipewatch.ko");
	add_guest_options(app, a->guest);
	app.add_flag("--quiet", a->quiet, "no progress lines on stderr");
	return [a] { return run_vm(*a); };
}

PIPEHANG_COMMAND("vm", setup);

} // namespace
} // namespace pipehang::cli
