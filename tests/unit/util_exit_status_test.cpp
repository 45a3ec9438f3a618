// The shell copy of the exit-status table (scripts/lib/exit-status.sh) must
// say exactly what the C++ one (util/exit_status.h) says: scripts and tests
// compare exit statuses against the shell names.
#include "util/exit_status.h"

#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace {

namespace es = pipehang::util::exit_status;

std::map<std::string, int> shell_table()
{
	std::ifstream in(std::string(PIPEHANG_TEST_DATA) + "/../../scripts/lib/exit-status.sh");
	EXPECT_TRUE(in) << "scripts/lib/exit-status.sh not found";
	static const std::regex assign("PH_EXIT_([A-Z_]+)=([0-9]+)");
	std::map<std::string, int> out;
	for (std::string line; std::getline(in, line);) {
		if (line.empty() || line[0] == '#')
			continue;
		std::smatch m;
		// Anything else would be invisible to this test: refuse it.
		EXPECT_TRUE(std::regex_match(line, m, assign)) << "not a PH_EXIT_NAME=NUMBER line: " << line;
		if (m.empty())
			continue;
		EXPECT_FALSE(out.count(m[1])) << "PH_EXIT_" << m[1] << " set twice";
		out[m[1]] = std::stoi(m[2]);
	}
	return out;
}

std::string upper(std::string_view s)
{
	std::string u(s);
	for (auto &c : u)
		c = char(std::toupper(static_cast<unsigned char>(c)));
	return u;
}

TEST(ExitStatus, ShellTableEqualsCppTable)
{
	auto sh = shell_table();
	ASSERT_EQ(sh.size(), es::table.size());
	for (const auto &e : es::table) {
		auto it = sh.find(upper(e.name));
		ASSERT_NE(it, sh.end()) << "PH_EXIT_" << upper(e.name) << " missing from the shell file";
		EXPECT_EQ(it->second, e.code) << "PH_EXIT_" << upper(e.name);
	}
}

TEST(ExitStatus, CodesAreDistinctAndMeetContract4)
{
	std::set<int> codes;
	for (const auto &e : es::table)
		EXPECT_TRUE(codes.insert(e.code).second) << e.name << " reuses " << e.code;
	// git bisect run: 0 good, 1..127 but 125 bad, 125 skip, >= 128 abort.
	EXPECT_EQ(es::good, 0);
	EXPECT_EQ(es::bad, 1);
	EXPECT_EQ(es::skip, 125);
	EXPECT_GE(es::error, 128);
	EXPECT_GE(es::interrupted, 128);
}

} // namespace
