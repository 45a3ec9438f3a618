// The command-line flags for the test VM's machine and guest settings,
// shared by `pipehang vm` and `pipehang run` so both spell and check them
// the same way. --help prints the defaults from guest/settings.h itself.
#pragma once

#include "guest/settings.h"

#include <CLI/CLI.hpp>

namespace pipehang::cli {

// --disk-throttle --disk-iops --disk-mb --module-args --hung-timeout
// --append --qemu --accel --memory --smp, written into S.
void add_guest_options(CLI::App &app, guest::GuestSettings &s);

} // namespace pipehang::cli
