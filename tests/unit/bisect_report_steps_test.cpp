// What a bisection's HTML report is drawn from (bisect/session.h
// TestedRevision, Session::set_on_step, bisect/report_json.h): every
// revision in test order with the reason it was tested, and a call after
// each one and at each bisection's end, on the fake fixture history.
#include "bisect/report_json.h"

#include "bisect_fakes.h"

#include <gtest/gtest.h>

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

	auto j = to_json(s.first);
	ASSERT_EQ(j["tested"].size(), t.size());
	EXPECT_EQ(j["tested"][0]["verdict"], "bad");
	EXPECT_EQ(j["tested"][0]["title"], "INFO: task hung in pipe_release");
	EXPECT_EQ(j["tested"][0]["signature"], "sig-c32");
	EXPECT_EQ(j["tested"][0]["role"], "bad end");
	EXPECT_DOUBLE_EQ(j["tested"][0]["test_seconds"].get<double>(), 40.0);
	EXPECT_FALSE(j["tested"][0]["lines"].empty());
}
