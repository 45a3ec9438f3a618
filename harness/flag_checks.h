// CLI11 validators for the checks every command shares, so a bad value is
// refused while the command line is parsed -- before any download, build or
// boot -- with a message naming the flag (CLI11 prefixes the flag's name:
// "--disk-iops: '-1' is not a whole number from 0 to ...") and the command's
// usage status (cli_app.cpp).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace pipehang::cli {

// Refuses "": an empty value must never mean "the default" (an unset shell
// variable under `git bisect run` would judge the wrong kernel). HINT says
// what to give instead.
CLI::Validator not_empty(const std::string &hint);

// A decimal whole number in [LO, HI], digits only: no sign (CLI11 reads
// "-1" into an unsigned as 2^64-1), no base prefix, no suffix.
CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi);

// An existing regular file we can read (a directory is refused).
CLI::Validator readable_file();

// A file we can write (probed, not created or truncated).
CLI::Validator writable_file();

// A directory we can create files in (probed, not created).
CLI::Validator writable_dir();

// What --kernel takes, for the message of an empty one.
inline constexpr const char *kKernelHint =
	"give a Debian kernel version (e.g. 6.1.0-56-amd64), a Debian linux-image .deb, a bzImage or a kernel "
	"build tree, or leave --kernel out for the newest Debian 6.1 image";

} // namespace pipehang::cli
