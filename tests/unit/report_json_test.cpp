// The one JSON form of a report (report/report_json.h): `pipehang parse
// --json` and the oracle's --json verdict print the same fields.
#include "guest/markers.h"
#include "oracle/evidence.h"
#include "report/classifier.h"
#include "report/report_json.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace pipehang;

namespace {

std::set<std::string> keys(const nlohmann::json &j)
{
	std::set<std::string> k;
	for (const auto &[key, v] : j.items())
		k.insert(key);
	return k;
}

report::Report pipewatch_like()
{
	report::Report r;
	r.title = "INFO: task hung in pipe_release";
	r.type = report::ReportType::Hang;
	r.source = "pipewatch";
	r.fields = {{"holder", "ph-splice-0/123"}, {"held_ms", "2010"}, {"holder_state", "sleeping"}};
	r.stacks.push_back({"holder", {"iomap_dio_rw", "iter_file_splice_write"}});
	r.text = std::string(100, 'x');
	return r;
}

TEST(ReportJson, EveryFieldUnderItsName)
{
	auto j = report::to_json(pipewatch_like());
	EXPECT_EQ(keys(j), (std::set<std::string>{"title", "type", "guilty_frame", "start_line", "end_line",
						  "corrupted", "corrupted_reason", "family", "source", "fields",
						  "stacks", "text", "holder", "holder_frames"}));
	EXPECT_EQ(j["holder"], "ph-splice-0/123, held 2010 ms, sleeping in iomap_dio_rw <- iter_file_splice_write");
	EXPECT_EQ(j["holder_frames"], nlohmann::json::array({"iomap_dio_rw", "iter_file_splice_write"}));
	EXPECT_EQ(j["stacks"][0]["label"], "holder");
	EXPECT_EQ(j["stacks"][0]["frames"][1], "iter_file_splice_write");
	EXPECT_EQ(j["fields"]["held_ms"], "2010");
	EXPECT_EQ(j["text"], std::string(100, 'x')); // no limit: whole
}

TEST(ReportJson, NoHolderNoKeyAndTextLimit)
{
	auto r = pipewatch_like();
	r.fields["holder"] = "none/0"; // the kernel found no owner
	auto j = report::to_json(r, 10);
	EXPECT_FALSE(j.contains("holder"));
	EXPECT_FALSE(j.contains("holder_frames"));
	EXPECT_EQ(j["text"], std::string(10, 'x') + "\n...(cut)");
}

TEST(ReportJson, VerdictAndParseCarryTheSameFields)
{
	const std::string console =
		"PIPEHANG: boot {\"kernel\":\"x\",\"uptime\":\"1\"}\n"
		"[   14.0] INFO: task repro-splice-di:159 blocked for more than 3 seconds.\n"
		"[   14.0] task:repro-splice-di state:D stack:0     pid:159   ppid:1      flags:0x0\n"
		"[   14.0] Call Trace:\n"
		"[   14.0]  <TASK>\n"
		"[   14.0]  __mutex_lock.constprop.0+0x399/0x700\n"
		"[   14.0]  pipe_release+0x1e/0x110\n"
		"[   14.0]  __fput+0x90/0x250\n"
		"[   14.0]  </TASK>\n";
	auto reports = report::classify(console);
	ASSERT_EQ(reports.size(), 1u);
	auto b = oracle::read_boot(guest::parse_markers(console), reports, {});
	ASSERT_EQ(b.reports.size(), 1u);
	EXPECT_EQ(keys(b.reports[0]), keys(report::to_json(reports[0])));
	EXPECT_EQ(b.reports[0]["title"], "INFO: task hung in pipe_release");
}

} // namespace
