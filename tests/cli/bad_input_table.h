// The CLI's bad-input table: one row per (subcommand, flag) at least. A new
// flag is one new row here -- cli_table_test.cpp fails while a flag of any
// subcommand has none (it enumerates the CLI's own options).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace pipehang::clitest {

// A bad value for FLAG of COMMAND: the command line (after the subcommand)
// must exit with STATUS and say NEEDLE (stderr and stdout together), with
// nothing downloaded, built or booted. Placeholders in ARGS, NEEDLE and
// STDIN are filled in by the fixture (cli_fixture.h): {tmp}, {file},
// {dir}, {big}, {makefile_only}, {kernel_tree}, {kernel_git}, {plain_git}.
struct BadInput {
	std::string command; // "" for the top level (no subcommand)
	std::string flag;    // as CLI11 names it: "--kernel", or "file" for a positional
	std::vector<std::string> args;
	int status;
	std::string needle;
	std::string stdin_file = "/dev/null";
};

// A flag that takes any value, and why: a row of its own, so that saying
// "nothing to check" is a decision written down, not a flag forgotten.
struct AnyValue {
	std::string command;
	std::string flag;
	std::string why;
};

const std::vector<BadInput> &bad_inputs();

// GoogleTest prints a row as its command line (test names stay readable).
void PrintTo(const BadInput &row, std::ostream *out);
const std::vector<AnyValue> &any_value_flags();

} // namespace pipehang::clitest
