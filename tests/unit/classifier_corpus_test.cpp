// Every console log in tests/data/console/ is a test case: NAME.log is
// classified and its titles compared with NAME.titles (one expected title
// per line, first report first; an empty file means "no report"). A line
// may add a tab and "corrupted" or "clean" to also check that flag.
// Dropping a new NAME.log + NAME.titles pair in the folder adds a case.
#include "report/classifier.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using pipehang::report::classify;
using pipehang::report::Report;

namespace {

fs::path corpus_dir() { return fs::path(PIPEHANG_TEST_DATA) / "console"; }

std::vector<std::string> corpus_logs()
{
	std::vector<std::string> names;
	std::error_code ec;
	for (const auto &e : fs::directory_iterator(corpus_dir(), ec))
		if (e.path().extension() == ".log")
			names.push_back(e.path().stem().string());
	std::sort(names.begin(), names.end());
	return names;
}

std::string read_all(const fs::path &p)
{
	std::ifstream in(p, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

struct Expected {
	std::string title;
	std::string flag; // "", "corrupted" or "clean"
};

std::vector<Expected> read_expected(const fs::path &p)
{
	std::vector<Expected> out;
	std::istringstream in(read_all(p));
	std::string line;
	while (std::getline(in, line)) {
		if (!line.empty() && line.back() == '\r')
			line.pop_back();
		if (line.empty())
			continue;
		Expected e;
		size_t tab = line.find('\t');
		e.title = line.substr(0, tab);
		if (tab != std::string::npos)
			e.flag = line.substr(tab + 1);
		out.push_back(e);
	}
	return out;
}

// Checks one corpus file; returns "" or a description of the mismatch.
std::string check(const std::string &name)
{
	fs::path log = corpus_dir() / (name + ".log");
	fs::path titles = corpus_dir() / (name + ".titles");
	if (!fs::exists(titles))
		return name + ".titles is missing (every corpus log needs its expected titles)";
	std::vector<Report> got = classify(read_all(log));
	std::vector<Expected> want = read_expected(titles);
	std::ostringstream diff;
	for (size_t i = 0; i < std::max(got.size(), want.size()); i++) {
		std::string g = i < got.size() ? got[i].title : "<none>";
		std::string w = i < want.size() ? want[i].title : "<none>";
		if (g != w)
			diff << "  report " << i + 1 << ": got '" << g << "', want '" << w << "'\n";
		else if (i < want.size() && !want[i].flag.empty() &&
			 got[i].corrupted != (want[i].flag == "corrupted"))
			diff << "  report " << i + 1 << " '" << g << "': corrupted=" << got[i].corrupted
			     << " (" << got[i].corrupted_reason << "), want " << want[i].flag << "\n";
	}
	std::string d = diff.str();
	return d.empty() ? d : name + ".log:\n" + d;
}

class CorpusFile : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusFile, TitlesMatch)
{
	std::string problem = check(GetParam());
	EXPECT_TRUE(problem.empty()) << problem;
}

INSTANTIATE_TEST_SUITE_P(Console, CorpusFile, ::testing::ValuesIn(corpus_logs()),
			 [](const auto &info) {
				 std::string n = info.param;
				 for (char &c : n)
					 if (!isalnum(static_cast<unsigned char>(c)))
						 c = '_';
				 return n;
			 });

// Test discovery happens at build time; this case lists the folder at run
// time, so a log dropped in without rebuilding is still checked.
TEST(CorpusFolder, EveryLogMatchesItsTitles)
{
	std::vector<std::string> logs = corpus_logs();
	ASSERT_GE(logs.size(), 10u) << "corpus folder " << corpus_dir() << " looks empty";
	std::string problems;
	for (const auto &name : logs)
		problems += check(name);
	EXPECT_TRUE(problems.empty()) << problems;
}

// Every .titles file belongs to a log (a typo in a name must not silently
// drop a case).
TEST(CorpusFolder, NoOrphanTitles)
{
	std::error_code ec;
	for (const auto &e : fs::directory_iterator(corpus_dir(), ec))
		if (e.path().extension() == ".titles") {
			EXPECT_TRUE(fs::exists(fs::path(e.path()).replace_extension(".log")))
				<< e.path() << " has no .log";
		}
}

} // namespace
