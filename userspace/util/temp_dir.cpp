#include "util/temp_dir.h"

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace pipehang::util {

namespace fs = std::filesystem;

TempDir::TempDir(const std::string &prefix)
{
	const char *base = getenv("TMPDIR");
	std::string tmpl = std::string(base && *base ? base : "/tmp") + "/pipehang-" + prefix + ".XXXXXX";
	if (!mkdtemp(tmpl.data()))
		throw std::runtime_error("cannot create a temporary directory " + tmpl + ": " + strerror(errno));
	path_ = tmpl;
}

TempDir::~TempDir()
{
	std::error_code ec;
	fs::remove_all(path_, ec);
}

fs::path cache_root()
{
	if (const char *c = getenv("PIPEHANG_CACHE"); c && *c)
		return c;
	if (const char *x = getenv("XDG_CACHE_HOME"); x && *x)
		return fs::path(x) / "pipehang";
	const char *home = getenv("HOME");
	return fs::path(home && *home ? home : "/root") / ".cache" / "pipehang";
}

void write_file_atomic(const fs::path &file, const std::string &content)
{
	fs::create_directories(file.parent_path());
	fs::path tmp = file;
	static std::atomic<unsigned> n{0}; // writers on several threads
	tmp += ".tmp." + std::to_string(getpid()) + "." + std::to_string(n++);
	{
		std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
		if (!out)
			throw std::runtime_error("cannot write " + tmp.string());
		out << content;
		if (!out.flush())
			throw std::runtime_error("cannot write " + tmp.string());
	}
	fs::rename(tmp, file);
}

std::string read_file(const fs::path &file)
{
	std::ifstream in(file, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + file.string());
	std::ostringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace pipehang::util
