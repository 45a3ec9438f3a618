#include "guest/boot.h"

#include "guest/disk.h"
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

// QEMU's write throttle is a leaky bucket that lets any single request
// through while the bucket is empty: one 1 MiB O_DIRECT write on a fresh
// boot completes at full speed and the "slow disk" is not slow for the first
// run. Capping the guest's request size (and turning off QEMU's request
// merging, see qemu.cpp) makes the limit bite after the first 64 KiB, so a
// throttled boot is throttled for every run.
static constexpr unsigned kThrottledRequestKb = 64; // largest guest write request

static std::map<std::string, std::string> with_disk_conf(std::map<std::string, std::string> files, const QemuOptions &q)
{
	if (q.throttled())
		files["/disk.conf"] = shell_assignments({{"PH_DISK_MAX_KB", std::to_string(kThrottledRequestKb)}});
	return files;
}

BootRequest make_boot_request(const Kernel &k, const GuestImage &img, const GuestSettings &s, const std::string &mode,
			      const std::map<std::string, std::string> &extra)
{
	std::map<std::string, std::string> conf = {
		{"PH_MODE", mode},
		{"PH_MODULE", img.module_requested ? "1" : "0"},
		{"PH_MODULE_ARGS", s.module_args},
		{"PH_MODULE_ERROR", img.module.error},
		{"PH_HUNG_SECS", std::to_string(s.hung_secs)},
	};
	for (auto &[key, value] : extra)
		conf[key] = value;
	BootRequest req;
	req.kernel = &k;
	req.image = &img;
	req.files["/run.conf"] = shell_assignments(conf);
	req.disk_mb = s.disk_mb;
	req.qemu.qemu = s.qemu;
	req.qemu.accel = s.accel;
	req.qemu.append = s.append;
	req.qemu.memory_mb = s.memory_mb;
	req.qemu.smp = s.smp;
	req.qemu.throttle_bps = s.throttle_bps;
	req.qemu.throttle_iops = s.throttle_iops;
	return req;
}

BootResult boot_guest(const BootRequest &req)
{
	TempDir tmp("boot");
	BootResult res;
	QemuOptions q = req.qemu;
	q.kernel = req.kernel->bzimage;
	q.disk = make_ext4_disk(tmp.path(), req.disk_mb);
	q.initrd = tmp / "initrd.cpio";
	{
		// Base archive + per-boot archive, concatenated.
		std::ofstream out(q.initrd, std::ios::binary);
		std::ifstream base(req.image->cpio, std::ios::binary);
		if (!base)
			throw std::runtime_error("cannot read guest image " + req.image->cpio.string());
		out << base.rdbuf() << run_archive(with_disk_conf(req.files, q));
		if (!out.flush())
			throw std::runtime_error("cannot write " + q.initrd.string() + " (disk full?)");
	}
	auto start = Clock::now();
	ConsoleWatcher watch = [&](const std::string &console) -> std::string {
		if (!res.booted && console.find("PIPEHANG: boot ") != std::string::npos) {
			res.booted = true;
			res.boot_seconds = std::chrono::duration<double>(Clock::now() - start).count();
		}
		return req.watch ? req.watch(console) : std::string();
	};
	res.qemu = run_qemu(q, watch, req.sink);
	res.markers = parse_markers(res.qemu.console);
	res.booted = find_marker(res.markers, "boot").has_value();
	return res;
}

} // namespace pipehang::guest
