// `pipehang kbuild-dir [--kernel K]`: prints the directory pipewatch.ko is
// built against for K (the build tree, the installed headers, or Debian's
// headers packages fetched and unpacked into the cache), so a module or a
// build check can use exactly what the harness uses.
#include "command.h"
#include "flag_checks.h"

#include "guest/kernel.h"
#include "util/exit_status.h"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

namespace pipehang::cli {
namespace {

struct KbuildArgs {
	std::string kernel;
};

int run_kbuild_dir(const KbuildArgs &a)
{
	using namespace pipehang::guest;
	try {
		Kernel k = resolve_kernel(a.kernel.empty() ? default_debian_kernel() : a.kernel);
		std::printf("%s\n", kbuild_dir(k).string().c_str());
		return 0;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "pipehang kbuild-dir: %s\n", e.what());
		return util::exit_status::error;
	}
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<KbuildArgs>();
	app.description(
		"Print the kernel build directory (build tree or headers) that pipewatch.ko is built against\n"
		"for a kernel, fetching Debian's headers packages into the cache when they are not installed.\n" +
		fmt::format("Exit status: 0, {} usage error (e.g. an empty --kernel), or {} when the kernel cannot be "
			    "resolved or has no headers.",
			    util::exit_status::usage, util::exit_status::error));
	app.add_option(
		   "--kernel", a->kernel,
		   "kernel build tree, Debian linux-image .deb, or Debian kernel version (e.g. 6.12.117+deb12-amd64). "
		   "Default (flag left out; an empty value is refused): the newest Debian 6.1 image")
		->check(not_empty(kKernelHint));
	return [a] { return run_kbuild_dir(*a); };
}

PIPEHANG_COMMAND("kbuild-dir", setup);

} // namespace
} // namespace pipehang::cli
