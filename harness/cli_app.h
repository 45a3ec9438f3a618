// The whole `pipehang` command line as one CLI11 app: every registered
// subcommand (command.h) added to it, and the one place that turns a parse
// error into a message and an exit status. main.cpp only calls run_cli();
// the CLI table test (tests/cli/) builds the same app to enumerate every
// subcommand's flags, so a flag without a bad-input row fails that test.
#pragma once

#include "command.h"

#include <map>

namespace pipehang::cli {

// The subcommand each runner belongs to.
using Runners = std::map<const CLI::App *, RunFn>;

// Adds every registered subcommand to APP (sorted by name) and returns
// what to run for each.
Runners build_cli(CLI::App &app);

// The names of the registered subcommands, sorted.
std::vector<std::string> command_names();

// Exit status of a usage error of SUBCOMMAND ("" before one is chosen):
// usage, except where `git bisect run` may be the caller (util/exit_status.h).
int usage_status(const std::string &subcommand);

// Parses ARGV, runs the chosen subcommand, returns the process exit status.
int run_cli(int argc, char **argv);

} // namespace pipehang::cli
