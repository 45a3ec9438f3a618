#include "guest/module_build.h"

#include "guest/module_inputs.h"

#include "util/cache_lock.h"
#include "util/process.h"
#include "util/progress.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <algorithm>
#include <vector>

namespace pipehang::guest {

using namespace pipehang::util;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Hash of every regular file under kmod/ (names and contents), in a stable
// order, so an edit to the module source means a rebuild.
std::string tree_hash(const fs::path &dir)
{
	std::vector<fs::path> files;
	for (auto &e : fs::recursive_directory_iterator(dir))
		if (e.is_regular_file()) {
			auto name = e.path().filename().string();
			// Build products are not sources.
			if (name.ends_with(".o") || name.ends_with(".ko") || name.ends_with(".mod") ||
			    name.ends_with(".mod.c") || name.ends_with(".cmd") || name == "modules.order" ||
			    name == "Module.symvers")
				continue;
			files.push_back(e.path());
		}
	std::sort(files.begin(), files.end());
	Sha256 h;
	for (auto &f : files)
		h.update(fs::relative(f, dir).string()).update("\n").update(sha256_file(f)).update("\n");
	return h.hex();
}

std::string last_error_line(const std::string &log)
{
	// The first "error:" or "not found" line is usually the cause; else
	// the last line.
	auto pos = log.find("error:");
	if (pos == std::string::npos)
		pos = log.find("not found");
	std::size_t start, end;
	if (pos != std::string::npos) {
		start = log.rfind('\n', pos);
		start = start == std::string::npos ? 0 : start + 1;
		end = log.find('\n', pos);
	} else {
		end = log.find_last_not_of("\n ");
		if (end == std::string::npos)
			return "";
		start = log.rfind('\n', end);
		start = start == std::string::npos ? 0 : start + 1;
		end = end + 1;
	}
	return log.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

} // namespace

ModuleBuild build_pipewatch(const Kernel &k, const fs::path &kmod_src)
{
	ModuleBuild b;
	if (!fs::exists(kmod_src / "Makefile") && !fs::exists(kmod_src / "Kbuild")) {
		b.error = "no kmod/Makefile or kmod/Kbuild in " + kmod_src.string() + " (module not written yet?)";
		return b;
	}
	fs::path kbuild;
	try {
		kbuild = kbuild_dir(k);
	} catch (const std::exception &e) {
		b.error = e.what();
		return b;
	}
	// Keyed by what the build reads from the kernel tree when that can be
	// named (module_inputs.h): one build serves every revision of a
	// bisection that changed no header, rule or configuration. Else by the
	// kernel image itself.
	std::string inputs = k.build_tree.empty() ? "" : module_inputs_id(kbuild);
	std::string kernel_key = inputs.empty() ? k.signature + "\n" + kbuild.string() : "inputs " + inputs;
	std::string key = sha256_hex(tree_hash(kmod_src) + "\n" + kernel_key).substr(0, 24);
	fs::path dir = cache_root() / "modules" / key;
	CacheLock lock(cache_root() / "modules" / (key + ".lock"));
	b.log = dir / "build.log";
	if (fs::exists(dir / "pipewatch.ko")) {
		b.ok = true;
		b.cached = true;
		b.ko = dir / "pipewatch.ko";
		return b;
	}
	if (fs::exists(dir / "failed")) {
		b.error = read_file(dir / "failed");
		return b;
	}
	progress("building pipewatch.ko against {}", kbuild.string());
	// Build a copy: the source tree stays clean and concurrent builds for
	// different kernels do not collide.
	TempDir work("kmod");
	fs::copy(kmod_src, work.path() / "kmod", fs::copy_options::recursive);
	// CONFIG_DEBUG_INFO_BTF_MODULES= : skip the BTF step, which needs
	// pahole on the host (Debian 6.12 headers enable it); the module
	// loads the same without BTF.
	auto r = run_process({"make", "-C", kbuild.string(), "M=" + (work.path() / "kmod").string(),
			      "CONFIG_DEBUG_INFO_BTF_MODULES=", "modules"},
			     timed(10min));
	fs::create_directories(dir);
	write_file_atomic(b.log, r.output + r.errors);
	fs::path ko = work.path() / "kmod" / "pipewatch.ko";
	if (!r.ok() || !fs::exists(ko)) {
		b.error = "pipewatch.ko build failed (" + r.describe() + "): " + last_error_line(r.errors + r.output) +
			  " (log: " + b.log.string() + ")";
		// Not cached as failed when we timed out or were stopped: it
		// might work next time.
		if (r.started && !r.timed_out)
			write_file_atomic(dir / "failed", b.error);
		return b;
	}
	fs::copy_file(ko, dir / "pipewatch.ko.tmp", fs::copy_options::overwrite_existing);
	fs::rename(dir / "pipewatch.ko.tmp", dir / "pipewatch.ko");
	b.ok = true;
	b.ko = dir / "pipewatch.ko";
	return b;
}

} // namespace pipehang::guest
