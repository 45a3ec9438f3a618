#include "guest/instance.h"

#include "guest/disk.h"
#include "util/interrupt.h"
#include "util/temp_dir.h"

#include <chrono>
#include <fstream>

namespace pipehang::guest {

using namespace pipehang::util;

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string shell_assignments(const std::map<std::string, std::string> &vars)
{
	std::string out;
	for (auto &[k, v] : vars) {
		std::string q;
		for (char ch : v)
			q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
		out += k + "='" + q + "'\n";
	}
	return out;
}

// kThrottledRequestKb (instance.h): QEMU's write throttle is a leaky
// bucket that lets any single request through while the bucket is empty:
// one 1 MiB O_DIRECT write on a fresh boot completes at full speed and the
// "slow disk" is not slow for the first run. Capping the guest's request
// size (and turning off QEMU's request merging, see qemu.cpp) makes the
// limit bite after the first 64 KiB, so a throttled boot is throttled for
// every run.

std::string_view to_string(InstanceEnd e)
{
	switch (e) {
	case InstanceEnd::exited: return "exited";
	case InstanceEnd::boot_failed: return "boot failed";
	case InstanceEnd::watchdog: return "watchdog";
	case InstanceEnd::stopped: return "stopped";
	case InstanceEnd::infra_error: return "infrastructure error";
	case InstanceEnd::interrupted: return "interrupted";
	}
	return "?";
}

namespace {

// /run.conf: the common keys from the settings and the image, then the
// caller's. The guest init has no defaults of its own (harness/guest/init).
std::string run_conf(const InstanceRequest &req)
{
	const GuestSettings &s = req.settings;
	const bool throttled = s.throttle_bps || s.throttle_iops;
	std::map<std::string, std::string> conf = {
		{"PH_MODE", req.mode},
		{"PH_MODULE", req.image->module_requested ? "1" : "0"},
		{"PH_MODULE_ARGS", s.module_args},
		{"PH_MODULE_ERROR", req.image->module.error},
		{"PH_HUNG_SECS", std::to_string(s.hung_secs)},
		{"PH_DISK_MAX_KB", throttled ? std::to_string(kThrottledRequestKb) : ""},
	};
	for (auto &[key, value] : req.conf)
		conf[key] = value;
	return shell_assignments(conf);
}

QemuOptions qemu_options(const GuestSettings &s)
{
	QemuOptions q;
	q.qemu = s.qemu;
	q.accel = s.accel;
	q.append = s.append;
	q.memory_mb = s.memory_mb;
	q.smp = s.smp;
	q.throttle_bps = s.throttle_bps;
	q.throttle_iops = s.throttle_iops;
	return q;
}

std::string trimmed(std::string s)
{
	while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
		s.pop_back();
	return s;
}

// How QEMU's run ended, from the guest's point of view.
void classify_end(InstanceResult &res, const QemuResult &q)
{
	const auto &p = q.proc;
	if (!p.started) {
		res.end = InstanceEnd::infra_error;
		res.reason = "cannot start QEMU: " + p.start_error;
	} else if (!q.stop_reason.empty()) {
		// We ended it: the watchdog or the caller's watcher.
		res.end = !res.booted   ? InstanceEnd::boot_failed
			  : p.timed_out ? InstanceEnd::watchdog
					: InstanceEnd::stopped;
		res.reason = q.stop_reason;
	} else if (p.term_signal) {
		res.end = InstanceEnd::infra_error;
		res.reason = "QEMU " + p.describe() + " (killed from outside the harness?)";
	} else if (p.exit_code != 0) {
		res.end = InstanceEnd::infra_error;
		res.reason = "QEMU " + p.describe() + ": " + trimmed(p.errors);
	} else if (auto done = find_marker(res.markers, "done");
		   done && done->data.value("status", "").rfind("run.conf lacks", 0) == 0) {
		// The host wrote an incomplete /run.conf: our bug, not the kernel's.
		res.end = InstanceEnd::infra_error;
		res.reason = "guest init: " + done->data.value("status", "");
	} else if (!res.booted) {
		res.end = InstanceEnd::boot_failed;
		res.reason = "the VM ended before the guest init ran (no PIPEHANG: boot marker)";
	} else {
		res.end = InstanceEnd::exited;
	}
}

} // namespace

ConsoleTee::ConsoleTee(const InstanceRequest &req) : req_(req)
{
	if (req.console_file.empty())
		return;
	file_.open(req.console_file, std::ios::binary | std::ios::trunc);
	if (!file_)
		throw std::runtime_error("cannot write console file " + req.console_file.string());
}

void ConsoleTee::write(std::string_view chunk)
{
	if (file_.is_open())
		file_.write(chunk.data(), chunk.size()).flush();
	if (req_.sink)
		req_.sink(chunk);
}

void ConsoleTee::finish()
{
	if (file_.is_open() && !file_.flush())
		throw std::runtime_error("cannot write console file " + req_.console_file.string() + " (disk full?)");
}

void write_boot_initrd(const InstanceRequest &req, const fs::path &path)
{
	if (!req.image)
		throw std::invalid_argument("write_boot_initrd: no guest image");
	// Base archive + per-boot archive, concatenated.
	std::map<std::string, std::string> files = req.files;
	files["/run.conf"] = run_conf(req);
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	std::ifstream base(req.image->cpio, std::ios::binary);
	if (!base)
		throw std::runtime_error("cannot read guest image " + req.image->cpio.string());
	out << base.rdbuf() << run_archive(files);
	if (!out.flush())
		throw std::runtime_error("cannot write " + path.string() + " (disk full?)");
}

std::string boot_cmdline(const GuestSettings &settings)
{
	return base_kernel_cmdline() + (settings.append.empty() ? "" : " " + settings.append);
}

InstanceResult run_instance(const InstanceRequest &req)
{
	if (!req.kernel || !req.image)
		throw std::invalid_argument("run_instance: no kernel or no guest image");
	ConsoleTee tee(req);
	InstanceResult res;
	try {
		TempDir tmp("boot");
		QemuOptions q = qemu_options(req.settings);
		q.timeout = req.timeout;
		q.kernel = req.kernel->bzimage;
		q.disk = make_ext4_disk(tmp.path(), req.settings.disk_mb);
		q.initrd = tmp / "initrd.cpio";
		write_boot_initrd(req, q.initrd);
		auto start = Clock::now();
		ConsoleWatcher watch = [&](const std::string &console) -> std::string {
			if (!res.booted && console.find("PIPEHANG: boot ") != std::string::npos) {
				res.booted = true;
				res.boot_seconds = std::chrono::duration<double>(Clock::now() - start).count();
			}
			return req.watch ? req.watch(console) : std::string();
		};
		ConsoleSink sink = [&](std::string_view chunk) { tee.write(chunk); };
		QemuResult qr = run_qemu(q, watch, sink);
		res.console = std::move(qr.console);
		res.markers = parse_markers(res.console);
		res.booted = find_marker(res.markers, "boot").has_value();
		res.seconds = qr.seconds;
		res.accel = qr.accel;
		classify_end(res, qr);
	} catch (const Interrupted &e) {
		// The temp dir is gone by now; QEMU's process group was killed.
		res.end = InstanceEnd::interrupted;
		res.reason = e.what();
		return res;
	}
	tee.finish();
	return res;
}

} // namespace pipehang::guest
