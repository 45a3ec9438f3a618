#include "util/file_checks.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pipehang::util {

namespace fs = std::filesystem;

namespace {

std::string describe_type(const struct stat &st)
{
	if (S_ISDIR(st.st_mode))
		return "is a directory";
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
		return "is a device, not a regular file";
	if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
		return "is a pipe or socket, not a regular file";
	return "not a regular file";
}

// The nearest existing directory at or above P ("." for a relative path
// whose first part does not exist); "" when something in the way is a file.
std::string writable_ancestor_problem(fs::path p)
{
	p = p.lexically_normal();
	while (true) {
		if (p.empty())
			p = ".";
		struct stat st {};
		if (::stat(p.c_str(), &st) == 0) {
			if (!S_ISDIR(st.st_mode))
				return p.string() + " is not a directory";
			if (::access(p.c_str(), W_OK | X_OK) != 0)
				return fmt::format("cannot create files in {}: {}", p.string(), std::strerror(errno));
			return "";
		}
		if (errno != ENOENT && errno != ENOTDIR)
			return fmt::format("{}: {}", p.string(), std::strerror(errno));
		if (!p.has_relative_path() || p == p.parent_path())
			return "no existing directory above it";
		p = p.parent_path();
	}
}

} // namespace

std::string input_file_problem(const fs::path &file)
{
	if (file.empty())
		return "empty path";
	struct stat st {};
	if (::stat(file.c_str(), &st) != 0)
		return std::strerror(errno);
	if (!S_ISREG(st.st_mode))
		return describe_type(st);
	if (::access(file.c_str(), R_OK) != 0)
		return fmt::format("not readable: {}", std::strerror(errno));
	return "";
}

std::string output_file_problem(const fs::path &file)
{
	if (file.empty())
		return "empty path";
	struct stat st {};
	if (::stat(file.c_str(), &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return "is a directory";
		// Opening for writing proves it (a device such as /dev/null is
		// fine); O_NONBLOCK so a FIFO without a reader does not block.
		int fd = ::open(file.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return fmt::format("cannot be written: {}", std::strerror(errno));
		::close(fd);
		return "";
	}
	// ENOTDIR: something above it is a file; said below, by name.
	if (errno != ENOENT && errno != ENOTDIR)
		return std::strerror(errno);
	fs::path parent = file.parent_path().empty() ? fs::path(".") : file.parent_path();
	struct stat pst {};
	if (::stat(parent.c_str(), &pst) != 0)
		return fmt::format("its directory {} does not exist", parent.string());
	if (!S_ISDIR(pst.st_mode))
		return fmt::format("{} is not a directory", parent.string());
	if (::access(parent.c_str(), W_OK | X_OK) != 0)
		return fmt::format("cannot create it in {}: {}", parent.string(), std::strerror(errno));
	return "";
}

std::string output_dir_problem(const fs::path &dir)
{
	if (dir.empty())
		return "empty path";
	struct stat st {};
	if (::stat(dir.c_str(), &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return "exists and is not a directory";
		if (::access(dir.c_str(), W_OK | X_OK) != 0)
			return fmt::format("cannot create files in it: {}", std::strerror(errno));
		return "";
	}
	if (errno != ENOENT && errno != ENOTDIR)
		return std::strerror(errno);
	return writable_ancestor_problem(dir.parent_path());
}

bool read_bounded(const std::string &file, std::size_t max_bytes, std::string &out, std::string &error)
{
	FILE *f = stdin;
	if (file != "-") {
		struct stat st {};
		if (::stat(file.c_str(), &st) != 0) {
			error = std::strerror(errno);
			return false;
		}
		if (!S_ISREG(st.st_mode)) {
			error = describe_type(st);
			return false;
		}
		if (static_cast<std::size_t>(st.st_size) > max_bytes) {
			error = fmt::format("{} bytes, larger than the {} byte limit", st.st_size, max_bytes);
			return false;
		}
		f = std::fopen(file.c_str(), "rb");
		if (!f) {
			error = std::strerror(errno);
			return false;
		}
	}
	bool ok = true;
	char buf[1 << 16];
	std::size_t n;
	while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
		if (out.size() + n > max_bytes) {
			error = fmt::format("more than the {} byte limit", max_bytes);
			ok = false;
			break;
		}
		out.append(buf, n);
	}
	if (ok && std::ferror(f)) {
		error = std::strerror(errno);
		ok = false;
	}
	if (f != stdin)
		std::fclose(f);
	return ok;
}

} // namespace pipehang::util
