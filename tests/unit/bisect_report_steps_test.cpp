// What a bisection's HTML report is drawn from (bisect/session.h
// TestedRevision, Session::set_on_step, bisect/report_json.h): every
// revision in test order with the reason it was tested, and a call after
// each one and at each bisection's end, on the fake fixture history.
#include "bisect/report_json.h"
#include "bisect/report_writer.h"

#include "bisect_fakes.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <unistd.h>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

TEST(BisectReportSteps, EveryRevisionInOrderWithItsRole)
{
	Fixture f;
	int steps = 0, ends = 0;
	std::vector<std::string> modes_ended;
	f.session.set_on_step([&](const BisectionReport &r, bool done) {
		if (done) {
			ends++;
			modes_ended.push_back(r.mode.name);
		} else {
			steps++;
			EXPECT_EQ(int(r.tested.size()), r.revisions_tested); // one record a build
		}
	});
	auto s = f.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	ASSERT_TRUE(s.rebisect);
	EXPECT_EQ(ends, 2);
	EXPECT_EQ(modes_ended, (std::vector<std::string>{"syzbot", "pipehang"}));
	EXPECT_EQ(std::size_t(steps), s.first.tested.size() + s.rebisect->tested.size());

	const auto &t = s.first.tested;
	ASSERT_GE(t.size(), 4u);
	EXPECT_EQ(t.front().commit.id, "c32");
	EXPECT_EQ(t.front().role, "bad end");
	EXPECT_EQ(t[1].commit.id, "c00");
	EXPECT_EQ(t[1].role, "good end");
	EXPECT_EQ(t.back().role, "revert check");
	for (std::size_t i = 2; i + 1 < t.size(); i++)
		EXPECT_EQ(t[i].role, "bisect") << t[i].commit.id;

	auto j = bisection_json(s.first);
	ASSERT_EQ(j["tested"].size(), t.size());
	EXPECT_EQ(j["tested"][0]["verdict"], "bad");
	EXPECT_EQ(j["tested"][0]["title"], "INFO: task hung in pipe_release");
	EXPECT_EQ(j["tested"][0]["signature"], "sig-c32");
	EXPECT_EQ(j["tested"][0]["role"], "bad end");
	EXPECT_DOUBLE_EQ(j["tested"][0]["test_seconds"].get<double>(), 40.0);
	EXPECT_FALSE(j["tested"][0]["lines"].empty());
}

namespace {

std::string read_page(const std::filesystem::path &p)
{
	std::ifstream in(p);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

} // namespace

TEST(BisectReportSteps, ThePageFollowsTheBisectionAndEndsWithBothAnswers)
{
	namespace fs = std::filesystem;
	Fixture f;
	fs::path dir = fs::temp_directory_path() / ("pipehang-bisect-report-" + std::to_string(getpid()));
	fs::remove_all(dir);
	int warnings = 0;
	BisectReportWriter w(f.repo, dir, {"/tmp/linux", "c00", "c32"}, f.repo.resolve("c32"),
			     [&](std::string_view) { warnings++; });
	w.start();
	EXPECT_NE(read_page(dir / "index.html").find("id=\"in-progress\""), std::string::npos);
	std::vector<std::string> pages;
	f.session.set_on_step([&](const BisectionReport &r, bool done) {
		w.step(r, done);
		pages.push_back(read_page(dir / "index.html"));
	});
	auto s = f.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	w.finish(s);
	ASSERT_GE(pages.size(), 3u);
	// After the first revision: a readable page with that one revision.
	EXPECT_NE(pages[0].find("id=\"in-progress\""), std::string::npos);
	EXPECT_NE(pages[0].find("<td><code>c32</code></td>"), std::string::npos);
	EXPECT_EQ(pages[0].find("id=\"culprit-0\""), std::string::npos);
	// Mid-way through the re-bisection: the first answer is already there.
	const std::string &mid = pages[s.first.tested.size() + 2];
	EXPECT_NE(mid.find("id=\"false-culprit-0\""), std::string::npos);
	EXPECT_NE(mid.find("id=\"answer-1\""), std::string::npos);

	std::string last = read_page(dir / "index.html");
	EXPECT_EQ(last.find("id=\"in-progress\""), std::string::npos);
	EXPECT_NE(last.find("id=\"culprit-0\">first bad commit: <b><code>c24</code>"), std::string::npos);
	EXPECT_NE(last.find("id=\"false-culprit-0\""), std::string::npos);
	EXPECT_NE(last.find("id=\"culprit-1\">first bad commit: <b><code>c11</code>"), std::string::npos);
	// The line from the bad end back to the good end, every commit on it.
	EXPECT_EQ(last.find("<svg id=\"history\""), last.find("<svg"));
	int dots = 0;
	for (auto p = last.find("r=\"2.5\""); p != std::string::npos; p = last.find("r=\"2.5\"", p + 1))
		dots++;
	EXPECT_EQ(dots, 33);
	// syzbot mode's "good" revisions lacked openat2: drawn as untested.
	int untested = 0;
	for (auto p = last.find("rev untested-good"); p != std::string::npos; p = last.find("rev untested-good", p + 1))
		untested++;
	EXPECT_GE(untested, 4);
	EXPECT_EQ(warnings, 0);
	// Kept for the browser check (tests/report/hand-pages.sh).
	if (const char *keep = std::getenv("PIPEHANG_REPORT_ARTIFACTS")) {
		fs::create_directories(keep);
		fs::copy_file(dir / "index.html", fs::path(keep) / "bisect-session.html",
			      fs::copy_options::overwrite_existing);
	}
	fs::remove_all(dir);
}
