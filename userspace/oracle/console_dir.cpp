#include "oracle/console_dir.h"

#include "util/temp_dir.h"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <unistd.h>

namespace pipehang::oracle {

namespace fs = std::filesystem;

namespace {

constexpr int kConsoleKeepDays = 14;

fs::path new_console_dir()
{
	fs::path root = util::cache_root() / "consoles";
	std::error_code ec;
	auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24 * kConsoleKeepDays);
	for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
		std::error_code ec2;
		if (it->is_directory(ec2) && fs::last_write_time(it->path(), ec2) < limit && !ec2)
			fs::remove_all(it->path(), ec2);
	}
	std::time_t now = std::time(nullptr);
	std::tm tm{};
	gmtime_r(&now, &tm);
	char stamp[32];
	std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	// Judgements run side by side in one process (a bisection's pool):
	// the counter keeps their directories apart.
	static std::atomic<unsigned> n{0};
	unsigned i = n++;
	return root / (i ? fmt::format("{}-{}-{}", stamp, getpid(), i) : fmt::format("{}-{}", stamp, getpid()));
}

} // namespace

fs::path make_console_dir(const std::string &requested)
{
	fs::path dir = requested.empty() ? new_console_dir() : fs::path(requested);
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw std::runtime_error("cannot create console directory " + dir.string() + ": " + ec.message());
	return dir;
}

void discard_empty_consoles(const fs::path &dir, bool remove_dir)
{
	std::error_code ec;
	for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
		const std::string name = it->path().filename().string();
		std::error_code ec2;
		if (name.rfind("console-", 0) == 0 && name.ends_with(".log") && it->is_regular_file(ec2) &&
		    fs::file_size(it->path(), ec2) == 0 && !ec2)
			fs::remove(it->path(), ec2);
	}
	if (remove_dir && fs::is_empty(dir, ec) && !ec)
		fs::remove(dir, ec);
}

} // namespace pipehang::oracle
