#include "paths.h"

#include <cstdlib>

#ifndef PIPEHANG_SOURCE_DIR
#define PIPEHANG_SOURCE_DIR "."
#endif

namespace pipehang::cli {

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

guest::ImageOptions image_options(bool with_module)
{
	guest::ImageOptions o;
	o.with_module = with_module;
	o.bin_dir = bin_dir();
	o.init_script = source_dir() / "harness/guest/init";
	o.kmod_dir = source_dir() / "kmod";
	return o;
}

} // namespace pipehang::cli
