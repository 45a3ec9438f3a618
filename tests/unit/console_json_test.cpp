// oracle::console_json (`pipehang parse --json`): the markers, pipewatch
// records and messages the kmod VM tests read instead of grepping the
// console, on real console shapes.
#include "oracle/console_json.h"
#include "report/console_lines.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

using pipehang::oracle::console_json;
using pipehang::report::kernel_time_us;

namespace {

std::string corpus(const std::string &name)
{
	std::ifstream f(std::string(PIPEHANG_TEST_DATA) + "/console/" + name, std::ios::binary);
	std::stringstream s;
	s << f.rdbuf();
	return s.str();
}

} // namespace

TEST(KernelTime, ReadsTheTimestampOfARawLine)
{
	EXPECT_EQ(kernel_time_us("[   16.804984] pipewatch: id=1 end\r"), 16804984);
	EXPECT_EQ(kernel_time_us("<6>[    0.000000] Linux version"), 0);
	EXPECT_EQ(kernel_time_us("[ 1.5] short fraction"), 1500000);
	EXPECT_EQ(kernel_time_us("[12345.1234567] long fraction"), 12345123456);
	EXPECT_FALSE(kernel_time_us("PIPEHANG: boot {}"));
	EXPECT_FALSE(kernel_time_us("[  T123] caller id only"));
	EXPECT_FALSE(kernel_time_us(""));
}

// The real console of `pipehang vm --script capture/pipehang-hold.sh`
// (tests/data/console/README.md): two holds, two records.
TEST(ConsoleJson, RealHoldConsole)
{
	auto j = console_json(corpus("real-6.1-pipehang-hold.log"));

	const auto &m = j["markers"];
	ASSERT_EQ(m.size(), 5u);
	EXPECT_EQ(m[0]["event"], "boot");
	EXPECT_EQ(m[0]["line"], 363);
	EXPECT_EQ(m[0]["data"]["kernel"], "6.1.0-56-amd64");
	EXPECT_EQ(m[2]["event"], "module");
	EXPECT_EQ(m[2]["valid"], true);
	EXPECT_EQ(m[2]["rejoined"], false);
	EXPECT_EQ(m[2]["data"]["loaded"], true);
	EXPECT_EQ(m[4]["event"], "done");

	const auto &recs = j["pipewatch"]["records"];
	ASSERT_EQ(recs.size(), 2u);
	const auto &r = recs[0];
	EXPECT_EQ(r["id"], "1");
	EXPECT_EQ(r["event"], "pipe_wait");
	EXPECT_EQ(r["line"], 374);
	EXPECT_EQ(r["end_line"], 387);
	EXPECT_EQ(r["time_us"], 16804984);
	EXPECT_EQ(r["fields"]["func"], "pipe_release");
	EXPECT_EQ(r["fields"]["waiter"], "repro-pipe-benc/148");
	EXPECT_EQ(r["fields"]["holder"], "pipewatch-hold/149");
	EXPECT_EQ(r["fields"]["waited_ms"], "1081");
	EXPECT_EQ(r["stacks"]["holder"][0], "pw_hold_fn"); // "pw_hold_fn.cold+0x78/0x12a [pipewatch]"
	EXPECT_EQ(r["stacks"]["holder"].size(), 3u);
	EXPECT_EQ(r["stacks"]["waiter"][0], "pipe_release");
	EXPECT_EQ(r["stacks"]["waiter"].size(), 7u);
	EXPECT_EQ(r["ended"], true);
	EXPECT_EQ(r["corrupted"], false);
	EXPECT_EQ(r["title"], "INFO: task hung in pipe_release");
	EXPECT_NE(r["holder"].get<std::string>().find("pipewatch-hold/149"), std::string::npos);
	EXPECT_EQ(recs[1]["fields"]["func"], "pipe_write");
	EXPECT_EQ(recs[1]["fields"]["waiter"], "sh/154");

	const auto &msgs = j["pipewatch"]["messages"];
	ASSERT_EQ(msgs.size(), 7u);
	EXPECT_EQ(msgs[2]["text"], "loaded: wait_threshold_ms=1000 hung_threshold_ms=2000 wait_probe=tracepoint");
	EXPECT_EQ(msgs[2]["fields"]["wait_probe"], "tracepoint");
	EXPECT_EQ(msgs[2]["line"], 371);
	EXPECT_EQ(msgs[2]["time_us"], 15066477);
	EXPECT_EQ(msgs[3]["text"], "hold start pipe_ino=6273 holder=pipewatch-hold/149 ms=5000");
	EXPECT_EQ(msgs[3]["fields"]["holder"], "pipewatch-hold/149");
	EXPECT_EQ(msgs[3]["fields"]["pipe_ino"], "6273");
	for (const auto &msg : msgs) // record lines are records, never messages
		EXPECT_NE(msg["text"].get<std::string>().substr(0, 3), "id=");

	// The reports are the classifier's, as `parse --json` always gave them.
	ASSERT_EQ(j["reports"].size(), 4u);
	EXPECT_EQ(j["reports"][0]["source"], "pipewatch");
	EXPECT_EQ(j["reports"][0]["title"], "INFO: task hung in pipe_release");
}

// A marker cut by a kernel message (the shape the replay kernel's boot
// printed: the mouse driver's probe line in the middle of the module
// marker) comes out whole, rejoined; a record whose end line never came
// is there, not ended; a record line without a timestamp has time_us null.
TEST(ConsoleJson, CutMarkerIsRejoinedAndTruncatedRecordIsNotEnded)
{
	std::string c = "PIPEHANG: boot {\"kernel\":\"5.6.0\",\"uptime\":\"0.97\"}\r\n"
			"PIPEHANG: module {\"loaded\":true,[    1.280841] input: ImExPS/2 Generic Explorer Mouse as "
			"/devices/platform/i8042/serio1/input/input3\r\n"
			"\"args\":\"wait_threshold_ms=1000 hung_threshold_ms=2000\"}\r\n"
			"[    2.700100] pipewatch: event=pipe_wait id=3 func=pipe_release waiter=ph-close/90 "
			"waited_ms=1010 pipe_ino=12 holder=ph-splice-0/91 held_ms=1300 holder_state=running\r\n"
			"[    2.700200] pipewatch: id=3 holder stack:\r\n"
			"[    2.700300] pipewatch: id=3  iov_iter_alignment+0x5a/0x1e0\r\n"
			"[    2.700400] pipewatch: id=3  iter_file_splice_write+0x2f0/0x4c0\r\n"
			"pipewatch: event=hung_task id=4 func=jbd2_journal_commit_transaction waiter=jbd2/vda-8/80 "
			"waited_ms=2100 pipe_ino=0 holder=none/0 held_ms=-1 holder_state=none\r\n"
			"pipewatch: id=4 waiter stack:\r\n"
			"pipewatch: id=4  jbd2_journal_commit_transaction+0x10/0x20\r\n"
			"pipewatch: id=4 end\r\n";
	auto j = console_json(c);
	const auto &m = j["markers"];
	ASSERT_EQ(m.size(), 2u);
	EXPECT_EQ(m[1]["event"], "module");
	EXPECT_EQ(m[1]["valid"], true);
	EXPECT_EQ(m[1]["rejoined"], true);
	EXPECT_EQ(m[1]["line"], 2);
	EXPECT_EQ(m[1]["data"]["loaded"], true);
	EXPECT_EQ(m[1]["data"]["args"], "wait_threshold_ms=1000 hung_threshold_ms=2000");

	const auto &recs = j["pipewatch"]["records"];
	ASSERT_EQ(recs.size(), 2u);
	EXPECT_EQ(recs[0]["id"], "3");
	EXPECT_EQ(recs[0]["fields"]["holder_state"], "running");
	EXPECT_EQ(recs[0]["stacks"]["holder"][0], "iov_iter_alignment");
	EXPECT_FALSE(recs[0]["stacks"].contains("waiter"));
	EXPECT_EQ(recs[0]["ended"], false);
	EXPECT_EQ(recs[0]["corrupted"], true);
	EXPECT_EQ(recs[0]["time_us"], 2700100);
	EXPECT_EQ(recs[1]["event"], "hung_task");
	EXPECT_EQ(recs[1]["ended"], true);
	EXPECT_TRUE(recs[1]["time_us"].is_null());
	EXPECT_EQ(recs[1]["stacks"]["waiter"][0], "jbd2_journal_commit_transaction");
	EXPECT_TRUE(j["pipewatch"]["messages"].empty());
}

// A damaged marker stays damaged (never guessed at) and is still listed.
TEST(ConsoleJson, DamagedMarkerIsListedInvalid)
{
	auto j = console_json("PIPEHANG: repro {\"tool\":\"x\",[    2.000000] cut\r\nnot json at all\r\n");
	ASSERT_EQ(j["markers"].size(), 1u);
	EXPECT_EQ(j["markers"][0]["valid"], false);
	EXPECT_EQ(j["markers"][0]["rejoined"], false);
	EXPECT_TRUE(j["markers"][0]["data"].is_null());
	EXPECT_EQ(j["markers"][0]["event"], "repro");
}
