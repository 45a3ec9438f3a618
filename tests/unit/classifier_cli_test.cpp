// `pipehang parse` end to end: the real binary on real corpus logs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

struct Result {
	int status = -1;
	std::string out;
};

// Runs a shell command line; stdout captured, stderr folded into it when asked.
Result run(const std::string &cmd)
{
	Result r;
	FILE *p = popen(cmd.c_str(), "r");
	if (!p)
		return r;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		r.out.append(buf, n);
	int st = pclose(p);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return r;
}

std::string pipehang()
{
	return std::string(PIPEHANG_BIN_DIR) + "/pipehang";
}
std::string corpus(const std::string &name)
{
	return (fs::path(PIPEHANG_TEST_DATA) / "console" / name).string();
}

class ParseCli : public ::testing::Test {
protected:
	void SetUp() override { ASSERT_TRUE(fs::exists(pipehang())) << pipehang() << " not built"; }
};

} // namespace

TEST_F(ParseCli, PrintsTitlesFirstReportFirst)
{
	Result r = run(pipehang() + " parse " + corpus("real-6.1-hung.log"));
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "INFO: task hung in clstest_hung");
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 6);
}

TEST_F(ParseCli, CleanLogPrintsNothing)
{
	Result r = run(pipehang() + " parse " + corpus("real-6.1-clean.log"));
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, "");
}

TEST_F(ParseCli, ReadsStandardInput)
{
	Result r = run(pipehang() + " parse - < " + corpus("real-6.12-noroot.log"));
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)\n");
}

TEST_F(ParseCli, UnreadableFileExitsTwoAndNamesIt)
{
	Result r = run(pipehang() + " parse /nonexistent/console.log 2>&1");
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.out.find("/nonexistent/console.log"), std::string::npos) << r.out;
	r = run(pipehang() + " parse " + PIPEHANG_TEST_DATA + " 2>&1");
	EXPECT_EQ(r.status, 2);
	EXPECT_NE(r.out.find("directory"), std::string::npos) << r.out;
	r = run(pipehang() + " parse 2>&1");
	EXPECT_EQ(r.status, 2) << "missing FILE is a usage error";
}

TEST_F(ParseCli, JsonHasEveryField)
{
	Result r = run(pipehang() + " parse --json " + corpus("real-6.1-null.log"));
	ASSERT_EQ(r.status, 0);
	auto j = nlohmann::json::parse(r.out);
	ASSERT_EQ(j["reports"].size(), 1u);
	const auto &rep = j["reports"][0];
	EXPECT_EQ(rep["title"], "BUG: unable to handle kernel NULL pointer dereference in clstest_null");
	EXPECT_EQ(rep["type"], "memory-safety");
	EXPECT_EQ(rep["guilty_frame"], "clstest_null");
	EXPECT_EQ(rep["corrupted"], false);
	EXPECT_EQ(rep["source"], "kernel");
	EXPECT_EQ(rep["family"], "null-deref");
	EXPECT_GT(rep["end_line"].get<int>(), rep["start_line"].get<int>());
	EXPECT_NE(rep["text"].get<std::string>().find("RIP: 0010:clstest_null"), std::string::npos);
	EXPECT_FALSE(rep["stacks"][0]["frames"].empty());
}

// --json also gives what the kmod VM tests read instead of grepping the
// console (tests/kmod/lib.sh): markers, pipewatch records and messages.
TEST_F(ParseCli, JsonHasMarkersAndPipewatchRecords)
{
	Result r = run(pipehang() + " parse --json " + corpus("real-6.1-pipehang-hold.log"));
	ASSERT_EQ(r.status, 0);
	auto j = nlohmann::json::parse(r.out);
	EXPECT_EQ(j["file"], corpus("real-6.1-pipehang-hold.log"));
	ASSERT_EQ(j["markers"].size(), 5u);
	EXPECT_EQ(j["markers"][2]["data"]["loaded"], true);
	ASSERT_EQ(j["pipewatch"]["records"].size(), 2u);
	EXPECT_EQ(j["pipewatch"]["records"][0]["stacks"]["waiter"][0], "pipe_release");
	EXPECT_EQ(j["pipewatch"]["messages"][3]["fields"]["holder"], "pipewatch-hold/149");
	Result h = run(pipehang() + " parse --help");
	EXPECT_EQ(h.status, 0);
	for (const char *word : {"markers", "rejoined", "pipewatch.records", "pipewatch.messages", "time_us"})
		EXPECT_NE(h.out.find(word), std::string::npos) << word;
}

TEST_F(ParseCli, JsonNamesTheLockHolderOfANewerHungTask)
{
	Result r = run(pipehang() + " parse --json " + corpus("hand-hung-blocker-owner.log"));
	ASSERT_EQ(r.status, 0);
	auto j = nlohmann::json::parse(r.out);
	ASSERT_EQ(j["reports"].size(), 4u);
	const auto &rep = j["reports"][0];
	EXPECT_EQ(rep["title"], "INFO: task hung in pipe_release");
	EXPECT_EQ(rep["fields"]["holder"], "ph-splice-0/1200");
	EXPECT_EQ(rep["fields"]["waiter"], "ph-close/1201");
	EXPECT_EQ(rep["fields"]["blocked_on"], "mutex");
	ASSERT_EQ(rep["stacks"].size(), 2u);
	EXPECT_EQ(rep["stacks"][1]["label"], "holder");
	EXPECT_NE(rep["stacks"][1]["frames"].dump().find("iter_file_splice_write"), std::string::npos);
	EXPECT_EQ(j["reports"][3]["fields"]["holder"], "none/0");
}

// --update writes NAME.titles next to NAME.log in the full expectation
// form, which for a corpus log is exactly its checked-in .titles.
TEST_F(ParseCli, UpdateWritesTheFullExpectations)
{
	fs::path dir = fs::temp_directory_path() / ("pipehang-update-" + std::to_string(::getpid()));
	fs::create_directories(dir);
	for (const char *name : {"hand-hung-blocker-owner", "real-6.1-null", "real-6.1-clean"}) {
		fs::copy_file(corpus(std::string(name) + ".log"), dir / (std::string(name) + ".log"),
			      fs::copy_options::overwrite_existing);
		Result r = run(pipehang() + " parse --update " + (dir / (std::string(name) + ".log")).string());
		EXPECT_EQ(r.status, 0) << name;
		auto slurp = [](const fs::path &p) {
			std::string s;
			FILE *f = std::fopen(p.c_str(), "rb");
			char buf[4096];
			size_t n;
			while (f && (n = std::fread(buf, 1, sizeof buf, f)) > 0)
				s.append(buf, n);
			if (f)
				std::fclose(f);
			return s;
		};
		EXPECT_EQ(slurp(dir / (std::string(name) + ".titles")), slurp(corpus(std::string(name) + ".titles")))
			<< name;
	}
	Result r = run(pipehang() + " parse --update - < /dev/null 2>&1");
	EXPECT_EQ(r.status, 2) << "--update needs files";
	fs::remove_all(dir);
}
