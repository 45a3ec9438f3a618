#include "util/progress.h"

#include <chrono>
#include <cstdio>

namespace pipehang::util {

namespace {
bool g_quiet = false;
const auto g_start = std::chrono::steady_clock::now();
} // namespace

void set_quiet(bool quiet)
{
	g_quiet = quiet;
}

void progress_line(std::string_view line)
{
	if (g_quiet)
		return;
	double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - g_start).count();
	std::fprintf(stderr, "[%6.1fs] %.*s\n", t, int(line.size()), line.data());
	std::fflush(stderr);
}

} // namespace pipehang::util
