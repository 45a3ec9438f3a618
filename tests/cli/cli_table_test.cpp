// Every bad-input row (bad_input_table.cpp) against the real pipehang
// binary, and the check that the table covers every flag of every
// subcommand, read from the CLI itself (cli_app.h).
#include "bad_input_table.h"
#include "cli_app.h"
#include "cli_fixture.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <sys/wait.h>

namespace fs = std::filesystem;
using namespace pipehang::clitest;

namespace {

struct Outcome {
	int status = -1;
	std::string output; // stdout and stderr
};

std::string quoted(const std::string &word)
{
	std::string out = "'";
	for (char c : word)
		out += c == '\'' ? std::string("'\\''") : std::string(1, c);
	return out + "'";
}

// The binary with a cache of its own (so a row that went further than it
// should can be seen, and the shared cache is never touched) and a bound.
Outcome run_pipehang(const CliFixture &fx, const BadInput &row)
{
	std::string cmd = "cd " + quoted(fx.tmp().string()) +
			  " && PIPEHANG_CACHE=" + quoted((fx.tmp() / "cache").string()) + " timeout 60 " +
			  quoted(std::string(PIPEHANG_BIN_DIR) + "/pipehang");
	if (!row.command.empty())
		cmd += " " + row.command;
	for (const auto &a : row.args)
		cmd += " " + quoted(fx.fill(a));
	cmd += " <" + quoted(fx.fill(row.stdin_file)) + " 2>&1";
	Outcome o;
	FILE *p = ::popen(cmd.c_str(), "r");
	if (!p)
		return o;
	char buf[4096];
	std::size_t n;
	while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
		o.output.append(buf, n);
	int st = ::pclose(p);
	o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return o;
}

std::string row_name(const testing::TestParamInfo<BadInput> &info)
{
	std::string name = (info.param.command.empty() ? "toplevel" : info.param.command) + "_" + info.param.flag +
			   "_" + std::to_string(info.index);
	for (char &c : name)
		if (!std::isalnum(static_cast<unsigned char>(c)))
			c = '_';
	return name;
}

class BadInputRow : public testing::TestWithParam<BadInput> {};

} // namespace

TEST_P(BadInputRow, ExitsWithItsStatusNamingTheInput)
{
	const BadInput &row = GetParam();
	std::string text = row.needle + " " + row.stdin_file;
	for (const auto &a : row.args)
		text += " " + a;
	CliFixture fx(text);
	Outcome o = run_pipehang(fx, row);
	EXPECT_EQ(o.status, row.status) << o.output;
	EXPECT_NE(o.output.find(fx.fill(row.needle)), std::string::npos)
		<< "want: " << fx.fill(row.needle) << "\ngot: " << o.output;
	// Refused before any work: no console directory, download or image.
	EXPECT_FALSE(fs::exists(fx.tmp() / "cache" / "consoles")) << "a console directory was made";
	EXPECT_FALSE(fs::exists(fx.tmp() / "cache" / "kernels")) << "a kernel was fetched";
	// Never a verdict line.
	EXPECT_EQ(o.output.find("verdict:"), std::string::npos) << o.output;
}

INSTANTIATE_TEST_SUITE_P(Cli, BadInputRow, testing::ValuesIn(bad_inputs()), row_name);

// Every option of every subcommand has a row (a bad value, or a reason it
// takes any value); every row names a flag that exists.
TEST(CliTable, EveryFlagOfEverySubcommandHasARow)
{
	CLI::App app;
	pipehang::cli::build_cli(app);
	std::set<std::pair<std::string, std::string>> flags;
	for (const CLI::App *sub : app.get_subcommands([](CLI::App *) { return true; }))
		for (const CLI::Option *opt : sub->get_options())
			if (opt != sub->get_help_ptr() && opt != sub->get_help_all_ptr())
				flags.insert({sub->get_name(), opt->get_name()});
	ASSERT_GT(flags.size(), 50u) << "the CLI was not enumerated";

	std::set<std::pair<std::string, std::string>> covered;
	for (const auto &row : bad_inputs())
		if (!row.command.empty())
			covered.insert({row.command, row.flag});
	for (const auto &row : any_value_flags()) {
		EXPECT_FALSE(row.why.empty()) << row.command << " " << row.flag;
		covered.insert({row.command, row.flag});
	}
	for (const auto &f : flags)
		EXPECT_TRUE(covered.count(f)) << "pipehang " << f.first << " " << f.second
					      << " has no row in tests/cli/bad_input_table.cpp: add a bad value and "
						 "the status and message it must give";
	for (const auto &c : covered)
		EXPECT_TRUE(flags.count(c)) << "row for " << c.first << " " << c.second << ": no such flag";
}

TEST(CliTable, EverySubcommandHasARow)
{
	std::set<std::string> with_rows;
	for (const auto &row : bad_inputs())
		with_rows.insert(row.command);
	for (const auto &name : pipehang::cli::command_names())
		EXPECT_TRUE(with_rows.count(name)) << name;
}
