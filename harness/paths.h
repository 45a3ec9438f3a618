// Where pipehang finds its own pieces at run time.
#pragma once

#include "guest/guest_image.h"

#include <filesystem>

namespace pipehang::cli {

// The repository (kmod/ sources, harness/guest/init):
// $PIPEHANG_SOURCE_DIR, else the source dir this binary was built from.
std::filesystem::path source_dir();

// The directory holding the pipehang binary and the static repro-*
// binaries: $PIPEHANG_BIN_DIR, else the directory of /proc/self/exe.
std::filesystem::path bin_dir();

// The guest image's host paths: init script, kmod/ sources, the repro-*
// binaries next to this one. WITH_MODULE: build and include pipewatch.ko.
guest::ImageOptions image_options(bool with_module);

} // namespace pipehang::cli
