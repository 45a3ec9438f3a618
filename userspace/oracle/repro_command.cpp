#include "oracle/repro_command.h"

#include "util/process.h"
#include "util/temp_dir.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace pipehang::oracle {

namespace {

std::string join(const std::vector<std::string> &v, const std::string &sep)
{
	std::string out;
	for (auto &s : v)
		out += (out.empty() ? "" : sep) + s;
	return out;
}

} // namespace

void check_judge_options(const JudgeOptions &opt)
{
	if (!util::have_program(opt.guest.qemu))
		throw std::runtime_error("QEMU not found: '" + opt.guest.qemu +
					 "' (install qemu-system-x86 or pass --qemu)");
	if (opt.fill != "pages" && opt.fill != "gap" && opt.fill != "mixed")
		throw std::invalid_argument("--fill: '" + opt.fill + "' is not one of pages, gap, mixed");
	for (auto &d : opt.deny)
		if (d.empty() || d.find_first_of(" '\"\\;$`") != std::string::npos)
			throw std::invalid_argument("--deny: bad syscall name '" + d + "'");
}

std::string custom_reproducer(const JudgeOptions &opt, const guest::GuestImage &img)
{
	if (opt.repro_file.empty()) {
		if (std::find(img.reproducers.begin(), img.reproducers.end(), opt.repro) == img.reproducers.end())
			throw std::runtime_error("reproducer " + opt.repro +
						 " not found next to pipehang (build it first)");
		return "";
	}
	try {
		return util::read_file(opt.repro_file);
	} catch (const std::exception &) {
		throw std::invalid_argument("cannot read --repro-file " + opt.repro_file);
	}
}

std::string repro_args(const JudgeOptions &opt)
{
	// --close-delay-ms 200: under TCG on a busy host the default few ms
	// are not always enough for the splicer to take pipe->mutex before the
	// close; on a fast disk the splice is long over by then (no cost), on
	// a slow one it holds the mutex for seconds (no loss).
	std::vector<std::string> a = {"--iterations",     "1",
				      "--entry",          opt.fallback ? "auto" : "openat2",
				      "--close-delay-ms", "200",
				      "--fill",           opt.fill,
				      "--time-limit",     std::to_string(std::max(5, opt.run_timeout - 10))};
	if (!opt.deny.empty())
		a.insert(a.end(), {"--deny", join(opt.deny, ",")});
	a.insert(a.end(), opt.repro_args.begin(), opt.repro_args.end());
	return join(a, " ");
}

} // namespace pipehang::oracle
