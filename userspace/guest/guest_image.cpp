#include "guest/guest_image.h"

#include "guest/cpio.h"
#include "util/cache_lock.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace pipehang::guest {

using namespace pipehang::util;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::vector<std::string> &wanted_kernel_modules()
{
	static const std::vector<std::string> mods = {"virtio_pci", "virtio_blk", "ext4", "crc32c_generic",
						      "crc32c-intel"};
	return mods;
}

namespace {

// Host paths of the .ko files for the wanted modules, dependencies first,
// via depmod -b (once per unpacked kernel) and modprobe --show-depends.
std::vector<fs::path> resolve_kernel_modules(const Kernel &k, std::vector<std::string> &missing)
{
	std::vector<fs::path> paths;
	if (k.modules_base.empty() || k.release.empty())
		return paths;
	fs::path moddir = k.modules_base / "lib/modules" / k.release;
	if (!fs::exists(moddir / "modules.dep")) {
		CacheLock lock(k.modules_base.string() + ".depmod.lock");
		if (!fs::exists(moddir / "modules.dep")) {
			progress("depmod for {}", k.release);
			run_checked({"depmod", "-b", k.modules_base.string(), k.release}, timed(5min));
		}
	}
	std::set<std::string> seen;
	for (auto &m : wanted_kernel_modules()) {
		auto r = run_process({"modprobe", "-d", k.modules_base.string(), "-S", k.release, "--show-depends", m},
				     timed(1min));
		if (!r.ok()) {
			// crc32c has two providers; either (or a built-in one) will do.
			if (m.rfind("crc32c", 0) != 0)
				missing.push_back(m);
			continue;
		}
		std::istringstream in(r.output);
		for (std::string line; std::getline(in, line);) {
			if (line.rfind("insmod ", 0) != 0)
				continue; // "builtin X": nothing to load
			std::string p = line.substr(7);
			while (!p.empty() && p.back() == ' ')
				p.pop_back();
			if (seen.insert(p).second)
				paths.push_back(p);
		}
	}
	return paths;
}

// A module file's content, decompressed (.ko.xz, .ko.zst, .ko.gz): busybox
// insmod loads plain ELF only.
std::string module_bytes(const fs::path &ko)
{
	auto name = ko.filename().string();
	if (name.ends_with(".xz"))
		return run_checked({"xz", "-dc", ko.string()}, timed(1min));
	if (name.ends_with(".zst"))
		return run_checked({"zstd", "-dcq", ko.string()}, timed(1min));
	if (name.ends_with(".gz"))
		return run_checked({"gzip", "-dc", ko.string()}, timed(1min));
	return read_file(ko);
}

std::string plain_ko_name(const fs::path &ko)
{
	auto name = ko.filename().string();
	return name.substr(0, name.find(".ko")) + ".ko";
}

} // namespace

GuestImage build_guest_image(const Kernel &k, const ImageOptions &opt)
{
	if (opt.bin_dir.empty() || opt.init_script.empty() || (opt.with_module && opt.kmod_dir.empty()))
		throw std::invalid_argument("guest image: bin_dir, init_script and kmod_dir must be set by the caller");
	GuestImage img;
	const fs::path &init = opt.init_script;
	if (!fs::exists(init))
		throw std::runtime_error("guest init script missing: " + init.string());
	if (!fs::exists(opt.busybox))
		throw std::runtime_error("busybox not found at " + opt.busybox.string() +
					 " (install busybox-static: scripts/install-deps.sh vm)");

	auto ko_paths = resolve_kernel_modules(k, img.missing_modules);
	std::vector<fs::path> repros;
	if (fs::is_directory(opt.bin_dir))
		for (auto &e : fs::directory_iterator(opt.bin_dir))
			if (e.path().filename().string().rfind("repro-", 0) == 0 && e.is_regular_file())
				repros.push_back(e.path());
	std::sort(repros.begin(), repros.end());

	img.module_requested = opt.with_module;
	if (opt.with_module)
		img.module = build_pipewatch(k, opt.kmod_dir);

	// The cache key covers every input's content.
	Sha256 key;
	key.update("pipehang-image-v2\n").update(sha256_file(init)).update(sha256_file(opt.busybox));
	for (auto &p : ko_paths)
		key.update(p.filename().string()).update(sha256_file(p));
	for (auto &p : repros)
		key.update(p.filename().string()).update(sha256_file(p));
	if (img.module.ok)
		key.update("pipewatch").update(sha256_file(img.module.ko));
	img.key = key.hex().substr(0, 24);
	img.cpio = cache_root() / "images" / (img.key + ".cpio");
	for (auto &p : ko_paths)
		img.kernel_modules.push_back("/lib/modules/" + plain_ko_name(p));
	for (auto &p : repros)
		img.reproducers.push_back(p.filename().string());

	CacheLock lock(cache_root() / "images" / (img.key + ".lock"));
	if (fs::exists(img.cpio)) {
		progress("guest image {} (cached)", img.cpio.string());
		return img;
	}
	progress("building guest image: busybox, {} kernel modules, {} reproducers{}", ko_paths.size(), repros.size(),
		 img.module.ok ? ", pipewatch.ko" : "");
	CpioWriter w;
	for (auto d :
	     {"bin", "sbin", "proc", "sys", "dev", "tmp", "mnt", "mnt/ext4", "lib", "lib/modules", "etc", "root"})
		w.add_dir(d);
	w.add_char_device("dev/console", 5, 1);
	w.add_char_device("dev/null", 1, 3, 0666);
	w.add_file("init", read_file(init), 0755);
	w.add_file("bin/busybox", read_file(opt.busybox), 0755);
	auto applets = run_checked({opt.busybox.string(), "--list"}, timed(30s));
	std::istringstream in(applets);
	for (std::string a; std::getline(in, a);)
		if (!a.empty() && a != "busybox" && a.find('/') == std::string::npos)
			w.add_symlink("bin/" + a, "busybox");
	std::string load_list;
	for (auto &p : ko_paths) {
		w.add_file("lib/modules/" + plain_ko_name(p), module_bytes(p));
		load_list += "/lib/modules/" + plain_ko_name(p) + "\n";
	}
	w.add_file("lib/modules/load.list", load_list);
	// Debug info triples a static reproducer's size and the guest (TCG)
	// pays for every byte it unpacks: strip it when strip(1) is there.
	TempDir strip_dir("strip");
	for (auto &p : repros) {
		fs::path use = p;
		if (have_program("strip")) {
			fs::path out = strip_dir / p.filename().string();
			if (run_process({"strip", "--strip-debug", "-o", out.string(), p.string()}, timed(1min)).ok())
				use = out;
		}
		w.add_file("bin/" + p.filename().string(), read_file(use), 0755);
	}
	if (img.module.ok)
		w.add_file("pipewatch.ko", read_file(img.module.ko));
	write_file_atomic(img.cpio, w.finish());
	return img;
}

std::string run_archive(const std::map<std::string, std::string> &files)
{
	CpioWriter w;
	for (auto &[path, content] : files) {
		std::string name = path;
		while (!name.empty() && name.front() == '/')
			name.erase(0, 1);
		w.add_file(name, content, name.ends_with(".sh") || name.rfind("bin/", 0) == 0 ? 0755 : 0644);
	}
	return w.finish();
}

} // namespace pipehang::guest
