// Where pipehang finds its own pieces at run time.
#pragma once

#include <filesystem>

namespace pipehang::guest {

// The repository (kmod/ sources, harness/guest/init):
// $PIPEHANG_SOURCE_DIR, else the source dir this binary was built from.
std::filesystem::path source_dir();

// The directory holding the pipehang binary and the static repro-*
// binaries: $PIPEHANG_BIN_DIR, else the directory of /proc/self/exe.
std::filesystem::path bin_dir();

} // namespace pipehang::guest
