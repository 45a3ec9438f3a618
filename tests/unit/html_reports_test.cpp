// The HTML writers (userspace/html/): escaping of everything that comes
// from a console or a commit, and the parts a person needs on each page.
// The run report is made from the oracle's reading of a real console (the
// spinning holder of tests/data/holder/); the bisection report from a
// hand-built bisection (syzbot mode blaming the wrong commit, then the
// re-bisection), through the same JSON the CLI writes.
#include "bisect/report_data.h"
#include "bisect/report_json.h"
#include "guest/markers.h"
#include "html/bisect_report.h"
#include "html/escape.h"
#include "html/run_report.h"
#include "html/run_report_writer.h"
#include "oracle/evidence.h"
#include "report/classifier.h"
#include "report/console_lines.h"

#include "bisect_fakes.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

using namespace pipehang;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path &p)
{
	std::ifstream in(p, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

int count(const std::string &hay, const std::string &needle)
{
	int n = 0;
	for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1))
		n++;
	return n;
}

// With PIPEHANG_REPORT_ARTIFACTS set, the pages are kept there for the
// browser check (tests/report/hand-pages.sh).
void keep_artifact(const std::string &name, const std::string &page)
{
	if (const char *dir = std::getenv("PIPEHANG_REPORT_ARTIFACTS")) {
		fs::create_directories(dir);
		std::ofstream(fs::path(dir) / name) << page;
	}
}

TEST(HtmlEscape, MarkupQuotesAndControlBytes)
{
	EXPECT_EQ(html::escape("<TASK> a&b \"q\" 'r'"), "&lt;TASK&gt; a&amp;b &quot;q&quot; &#39;r&#39;");
	EXPECT_EQ(html::escape(std::string("x\x1b[0m\0y\tz\n", 10)), "x[0my\tz\n");
	EXPECT_EQ(html::escape("ü"), "ü"); // UTF-8 passes: the page is UTF-8
}

// The oracle's JSON of one boot of the spinning-holder console, shaped as
// judge() shapes it.
json spin_judgement(const fs::path &console_copy)
{
	std::string log = slurp(fs::path(PIPEHANG_TEST_DATA) / "holder/spin-demo-6.1.log");
	auto reports = report::classify(log);
	// The guest clock of each line, as judge() gives it.
	std::vector<std::string> lines;
	std::stringstream in(log);
	for (std::string l; std::getline(in, l);)
		lines.push_back(l);
	oracle::ReadingOptions ro;
	ro.line_seconds = [lines](std::size_t line) -> std::optional<double> {
		auto us = line < lines.size() ? report::kernel_time_us(lines[line]) : std::nullopt;
		return us ? std::optional<double>(double(*us) / 1e6) : std::nullopt;
	};
	auto b = oracle::read_boot(guest::parse_markers(log), reports, ro);
	json j;
	j["target"] = "INFO: task hung in pipe_release";
	j["kernel"] = {{"spec", "/tmp/tree"}, {"release", "6.1.192-pipehang"}, {"kind", "tree"}, {"signature", "ab12"}};
	j["settings"] = {{"runs", 1}, {"fill", "mixed"}, {"disk_throttle_bps", 0}};
	j["module"] = {{"built", true}};
	j["boots"] = json::array({{{"boot", 1},
				   {"seconds", 12.5},
				   {"accel", "tcg"},
				   {"end", "stopped"},
				   {"stop_reason", "target report seen"},
				   {"console_bytes", log.size()},
				   {"console", console_copy.string()}}});
	j["runs"] = json::array();
	for (auto det : b.run_details) {
		det["boot"] = 1;
		j["runs"].push_back(det);
	}
	j["reports"] = b.reports;
	return j;
}

class HtmlRunReport : public ::testing::Test {
protected:
	void SetUp() override
	{
		dir_ = fs::temp_directory_path() / ("pipehang-html-" + std::to_string(getpid()));
		fs::remove_all(dir_);
		fs::create_directories(dir_ / "src");
		console_ = dir_ / "src/console-1.log";
		std::ofstream(console_) << slurp(fs::path(PIPEHANG_TEST_DATA) / "holder/spin-demo-6.1.log");
	}
	void TearDown() override { fs::remove_all(dir_); }
	fs::path dir_, console_;
};

TEST_F(HtmlRunReport, BadRunShowsBothStacksSideBySide)
{
	json j = spin_judgement(console_);
	ASSERT_EQ(j["runs"].size(), 1u);
	ASSERT_TRUE(j["runs"][0].contains("hang")) << j["runs"][0].dump(2);
	// Stopped at the record (2.981206 s), started at uptime 1.65 s.
	EXPECT_FALSE(j["runs"][0].contains("seconds"));
	EXPECT_NEAR(j["runs"][0].value("seconds_to_report", -1.0), 1.331, 0.001);
	j["verdict"] = "bad";
	j["reason"] = "crashed: INFO: task hung in pipe_release";
	j["exit_code"] = 1;
	std::string page = html::run_report_html(j, false);
	EXPECT_NE(page.find("<svg id=\"run-timeline\""), std::string::npos);
	EXPECT_EQ(count(page, "class=\"run-bar\""), 1);
	EXPECT_NE(page.find("target 1.3 s to the report (stopped there)"), std::string::npos);
	EXPECT_NE(page.find("id=\"verdict\""), std::string::npos);
	EXPECT_NE(page.find(">bad</b>: crashed: INFO: task hung in pipe_release"), std::string::npos);
	// Both sides, with the holder's telling frames in bold.
	auto waiter = page.find("<pre id=\"waiter-stack-0\">");
	auto holder = page.find("<pre id=\"holder-stack-0\">");
	ASSERT_NE(waiter, std::string::npos);
	ASSERT_NE(holder, std::string::npos);
	EXPECT_NE(page.find("pipe_release", waiter), std::string::npos);
	EXPECT_NE(page.find("<b>iov_iter_alignment</b>", holder), std::string::npos);
	EXPECT_NE(page.find("holder ph-splice-0/94 (running)"), std::string::npos);
	EXPECT_NE(page.find("iov_iter_alignment &larr; ext4_file_write_iter &larr; iter_file_splice_write"),
		  std::string::npos);
	EXPECT_NE(page.find("pipe inode <code>4376</code>"), std::string::npos);
	EXPECT_NE(page.find("mutex held <b>1209 ms</b>"), std::string::npos);
	EXPECT_NE(page.find("href=\"console-1.log\""), std::string::npos);
	EXPECT_EQ(page.find("<meta http-equiv=\"refresh\""), std::string::npos);  // final page
	EXPECT_EQ(page.find("http://"), page.find("http://www.w3.org/2000/svg")); // nothing fetched
	keep_artifact("run-hand.html", page);
}

TEST_F(HtmlRunReport, ConsoleTextIsEscaped)
{
	json j = spin_judgement(console_);
	j["runs"][0]["title"] = "INFO: <script>alert(1)</script> & co";
	j["runs"][0]["hang"]["holder_stack"] = json::array({"<TASK>"});
	std::string page = html::run_report_html(j, true);
	EXPECT_EQ(page.find("<script>"), std::string::npos);
	EXPECT_NE(page.find("INFO: &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
	EXPECT_NE(page.find("&lt;TASK&gt;"), std::string::npos);
	EXPECT_NE(page.find("id=\"in-progress\""), std::string::npos);
	EXPECT_NE(page.find("verdict: (not yet decided)"), std::string::npos);
}

TEST_F(HtmlRunReport, WrittenWithItsConsolesAndNoTemporaries)
{
	json j = spin_judgement(console_);
	fs::path out = dir_ / "report/nested";
	html::write_run_report(out, j, true);
	html::write_run_report(out, j, false); // rewritten in place
	EXPECT_TRUE(fs::is_regular_file(out / "index.html"));
	EXPECT_EQ(slurp(out / "console-1.log"), slurp(console_));
	int files = 0;
	for (auto &e : fs::directory_iterator(out)) {
		files++;
		EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << e.path();
	}
	EXPECT_EQ(files, 2);
}

TEST_F(HtmlRunReport, UnwritableDirectoryNamesIt)
{
	std::ofstream(dir_ / "a-file") << "x";
	try {
		html::write_run_report(dir_ / "a-file", spin_judgement(console_), false);
		FAIL() << "no error";
	} catch (const std::runtime_error &e) {
		EXPECT_NE(std::string(e.what()).find("a-file"), std::string::npos) << e.what();
	}
}

TEST_F(HtmlRunReport, WriterSaysWhenTheRunStoppedAndWarnsOnce)
{
	int warnings = 0;
	html::RunReportWriter w(dir_ / "r", [&](std::string_view) { warnings++; });
	w.stopped("interrupted"); // nothing written yet: nothing to correct
	EXPECT_FALSE(fs::exists(dir_ / "r/index.html"));
	json j = spin_judgement(console_);
	w.update(j, false);
	EXPECT_NE(slurp(dir_ / "r/index.html").find("id=\"in-progress\""), std::string::npos);
	w.stopped("interrupted by signal 2");
	std::string page = slurp(dir_ / "r/index.html");
	EXPECT_NE(page.find("no verdict: the run stopped (interrupted by signal 2)"), std::string::npos);
	EXPECT_EQ(page.find("id=\"in-progress\""), std::string::npos);
	EXPECT_NE(page.find("id=\"holder-stack-0\""), std::string::npos); // what it had seen stays
	EXPECT_EQ(warnings, 0);
	EXPECT_FALSE(w.failed());

	std::ofstream(dir_ / "a-file") << "x";
	html::RunReportWriter bad(dir_ / "a-file", [&](std::string_view e) {
		warnings++;
		EXPECT_NE(std::string(e).find("a-file"), std::string::npos) << e;
	});
	bad.update(j, false);
	bad.update(j, true);
	EXPECT_EQ(warnings, 1);
	EXPECT_TRUE(bad.failed());
}

// syzbot's bisection as the data model holds it: the good end crashed, a
// search back found a good one, the bisection blamed the openat2 commit
// (good revisions only because openat2 was missing), the false-culprit
// check fired; the pipehang-mode re-bisection found the real commit.
bisect::TestedRevision rev(const char *id, const char *subject, const char *role, bisect::Verdict v,
			   const char *why = "", bool reused = false)
{
	bisect::TestedRevision t;
	t.commit = {id, subject};
	t.role = role;
	t.eval.build.ok = v != bisect::Verdict::skip;
	t.eval.build.signature = std::string(id) + "5151515151515151";
	t.eval.build.seconds = 40;
	t.eval.build.error = v == bisect::Verdict::skip ? why : "";
	t.eval.test.verdict = v;
	t.eval.test.seconds = reused ? 0 : 30;
	(v == bisect::Verdict::bad ? t.eval.test.title : t.eval.test.reason) = why;
	t.eval.reused = reused;
	t.eval.reused_from = reused ? "c03" : "";
	return t;
}

TEST(HtmlBisectReport, HistoryTableCulpritAndFalseCulpritReasoning)
{
	using bisect::Verdict;
	bisect::fakes::FakeRepo fake(8);
	bisect::BisectionReport first;
	first.mode.name = "syzbot";
	first.mode.description = "openat2 only";
	first.completed = true;
	first.given_good = "c02";
	first.given_bad = "c07";
	first.good_end_was_bad = true;
	first.search.ran = true;
	first.search.tried = {
		{{"c00", "fs: change 0"}, bisect::FoundBy::first_parent, "", 2, "c02~2", Verdict::good, ""}};
	first.search.found = first.search.tried.front();
	first.good = bisect::Commit{"c00", "fs: change 0"};
	first.tested = {
		rev("c07", "fs: change 7", "bad end", Verdict::bad, "INFO: task hung in pipe_release"),
		rev("c02", "fs: change 2", "good end", Verdict::bad, "INFO: task hung in pipe_release"),
		rev("c00", "fs: change 0", "search back", Verdict::good),
		rev("c04", "open: introduce <openat2> & co", "bisect", Verdict::bad, "INFO: task hung in pipe_release"),
		rev("c03", "fs: change 3", "bisect", Verdict::skip, "kernel build failed"),
		rev("c01", "fs: change 1", "bisect", Verdict::good, "", true)};
	first.culprit = bisect::Commit{"c04", "open: introduce <openat2> & co"};
	first.verification = bisect::Verification::confirmed;
	first.verification_detail = "with the culprit reverted the kernel is good";
	first.false_culprit.reasons = {"the culprit adds openat2, which the reproducer uses"};
	bisect::BisectionReport second = first;
	second.mode.name = "pipehang";
	second.false_culprit.reasons.clear();
	second.culprit = bisect::Commit{"c01", "pipe: preallocate slot"};

	json data = {{"tree", "/tmp/linux"},
		     {"given_good", "c02"},
		     {"given_bad", "c07"},
		     {"history", bisect::first_parent_line(fake, fake.commits.back(), bisect::line_ends(first), 400)},
		     {"bisections", json::array({bisect::bisection_json(first), bisect::bisection_json(second)})}};
	ASSERT_EQ(data["history"].size(), 8u); // c07 back to c00, where the search ended
	data["history"][3]["merge"] = true;    // draw one merge
	data["bisections"][0]["tested"][0]["report"] = "runs/c07-syzbot/index.html";
	data["bisections"][0]["tested"][2]["entry_unavailable"] = true; // syzbot's "good": openat2 missing
	std::string page = html::bisect_report_html(data, false);

	EXPECT_NE(page.find("<svg id=\"history\""), std::string::npos);
	EXPECT_EQ(count(page, "class=\"merge\""), 1);
	EXPECT_EQ(count(page, "class=\"rev skip\""), 2); // one per bisection row
	EXPECT_EQ(count(page, "class=\"rev reused\""), 2);
	EXPECT_EQ(count(page, "class=\"rev untested-good\""), 1); // the first bisection's only
	EXPECT_EQ(count(page, "class=\"culprit-mark\""), 2);
	EXPECT_NE(page.find(">s3</text>"), std::string::npos); // the search step, third tested
	EXPECT_NE(page.find("id=\"culprit-0\""), std::string::npos);
	EXPECT_NE(page.find("open: introduce &lt;openat2&gt; &amp; co"), std::string::npos);
	EXPECT_EQ(page.find("<openat2>"), std::string::npos);
	EXPECT_NE(page.find("id=\"false-culprit-0\""), std::string::npos);
	EXPECT_EQ(page.find("id=\"false-culprit-1\""), std::string::npos);
	EXPECT_NE(page.find("id=\"culprit-1\""), std::string::npos);
	EXPECT_NE(page.find("pipe: preallocate slot"), std::string::npos);
	EXPECT_NE(page.find("revert check: <b>confirmed</b>"), std::string::npos);
	EXPECT_NE(page.find("was <b class=\"bad\">bad</b>"), std::string::npos);
	EXPECT_EQ(count(page, "<table class=\"revisions\""), 2);
	EXPECT_EQ(count(page, "<tr><td>"), 12); // six revisions a table
	EXPECT_NE(page.find("(verdict reused from c03)"), std::string::npos);
	EXPECT_NE(page.find("<a href=\"runs/c07-syzbot/index.html\">run report</a>"), std::string::npos);
	EXPECT_EQ(count(page, "href=\"runs/c07-syzbot/index.html\""), 2); // table and history
	keep_artifact("bisect-hand.html", page);
}

TEST(HtmlBisectReport, RunLinksOnlyToReportsThatExist)
{
	bisect::BisectionReport r;
	r.mode.name = "pipehang";
	r.tested = {rev("c05", "a", "bad end", bisect::Verdict::bad, "x"),
		    rev("c06", "b", "bisect", bisect::Verdict::good, "", true)};
	fs::path dir = fs::temp_directory_path() / ("pipehang-links-" + std::to_string(getpid()));
	fs::remove_all(dir);
	fs::create_directories(dir / "runs/c03-pipehang");
	std::ofstream(dir / "runs/c03-pipehang/index.html") << "x";
	json j = bisect::with_run_links(r, dir);
	EXPECT_FALSE(j["tested"][0].contains("report"));                     // c05 has none
	EXPECT_EQ(j["tested"][1]["report"], "runs/c03-pipehang/index.html"); // reused from c03
	fs::remove_all(dir);
}

TEST(HtmlBisectReport, InterruptedEarlyIsStillAPage)
{
	json data = {{"given_bad", "HEAD"}, {"history", json::array()}, {"bisections", json::array()}};
	std::string page = html::bisect_report_html(data, true);
	EXPECT_NE(page.find("<svg id=\"history\""), std::string::npos);
	EXPECT_NE(page.find("id=\"in-progress\""), std::string::npos);
	EXPECT_NE(page.find("</html>"), std::string::npos);
}

} // namespace
