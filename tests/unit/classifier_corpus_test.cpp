// Every console log in tests/data/console/ is a test case: NAME.log is
// classified and its reports compared with NAME.titles (one expected title
// per line, first report first; an empty file means "no report"), plus the
// optional tab-separated clean|corrupted, type=, frame= and holder= fields
// (report/expectations.h). Dropping a new NAME.log + NAME.titles pair in
// the folder adds a case; `pipehang parse --update NAME.log` writes one.
#include "report/classifier.h"
#include "report/expectations.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using pipehang::report::classify;
using pipehang::report::compare_expectations;
using pipehang::report::parse_expectations;

namespace {

fs::path corpus_dir()
{
	return fs::path(PIPEHANG_TEST_DATA) / "console";
}

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

// Checks one corpus file; returns "" or a description of the mismatch.
std::string check(const std::string &name)
{
	fs::path log = corpus_dir() / (name + ".log");
	fs::path titles = corpus_dir() / (name + ".titles");
	if (!fs::exists(titles))
		return name + ".titles is missing (every corpus log needs its expected titles)";
	std::string d = compare_expectations(classify(read_all(log)), parse_expectations(read_all(titles)));
	return d.empty() ? d : name + ".log:\n" + d;
}

class CorpusFile : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusFile, TitlesMatch)
{
	std::string problem = check(GetParam());
	EXPECT_TRUE(problem.empty()) << problem;
}

INSTANTIATE_TEST_SUITE_P(Console, CorpusFile, ::testing::ValuesIn(corpus_logs()), [](const auto &info) {
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
