// A private temporary directory removed (recursively) when the owner goes
// out of scope: on success, on exceptions and on interrupts (see
// interrupt.h), so runs leave no files behind.
#pragma once

#include <filesystem>
#include <string>

namespace pipehang::util {

class TempDir {
public:
	// Created under $TMPDIR (default /tmp) as pipehang-PREFIX.XXXXXX.
	explicit TempDir(const std::string &prefix);
	~TempDir();
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	const std::filesystem::path &path() const { return path_; }
	std::filesystem::path operator/(const std::string &name) const { return path_ / name; }

private:
	std::filesystem::path path_;
};

// The cache root: ${PIPEHANG_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pipehang}.
std::filesystem::path cache_root();

// Writes CONTENT to FILE atomically (temp file + rename), creating parents.
void write_file_atomic(const std::filesystem::path &file, const std::string &content);
std::string read_file(const std::filesystem::path &file); // throws if unreadable

} // namespace pipehang::util
