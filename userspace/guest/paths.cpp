#include "guest/paths.h"

#include <cstdlib>

#ifndef PIPEHANG_SOURCE_DIR
#define PIPEHANG_SOURCE_DIR "."
#endif

namespace pipehang::guest {

std::filesystem::path source_dir()
{
	if (const char *s = getenv("PIPEHANG_SOURCE_DIR"); s && *s)
		return s;
	return PIPEHANG_SOURCE_DIR;
}

std::filesystem::path bin_dir()
{
	if (const char *s = getenv("PIPEHANG_BIN_DIR"); s && *s)
		return s;
	std::error_code ec;
	auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
	return ec ? std::filesystem::path(".") : exe.parent_path();
}

} // namespace pipehang::guest
