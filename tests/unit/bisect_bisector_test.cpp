// The pure bisection against scripted verdicts: where it lands, how it steps
// around skips, when it gives up, and git's step estimate.
#include "engines/bisector.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <map>
#include <set>

using namespace pipehang::bisect;

namespace {

std::vector<Commit> make_range(int n)
{
	std::vector<Commit> r;
	for (int i = 0; i < n; i++)
		r.push_back({fmt::format("c{:02}", i), fmt::format("commit {}", i)});
	return r;
}

struct Scripted {
	int first_bad;               // index of the culprit
	std::set<std::size_t> skips; // indexes that are untestable
	std::vector<std::size_t> calls;
	Verdict operator()(std::size_t i)
	{
		calls.push_back(i);
		if (skips.count(i))
			return Verdict::skip;
		return static_cast<int>(i) >= first_bad ? Verdict::bad : Verdict::good;
	}
};

std::vector<std::string> g_log;
void log_line(std::string_view l)
{
	g_log.emplace_back(l);
}

} // namespace

TEST(BisectEstimate, MatchesGitForSmallAndLargeRanges)
{
	EXPECT_EQ(estimate_steps(1), 0);
	EXPECT_EQ(estimate_steps(2), 0);
	EXPECT_EQ(estimate_steps(3), 1);
	EXPECT_EQ(estimate_steps(4), 1);
	EXPECT_EQ(estimate_steps(7), 2);
	EXPECT_EQ(estimate_steps(8), 2);
	EXPECT_EQ(estimate_steps(11), 3);
	EXPECT_EQ(estimate_steps(32), 4);
	EXPECT_EQ(estimate_steps(9195), 12); // 8192 < 3 * 1003 is false: one step less
}

TEST(BisectLinear, FindsEveryPossibleCulprit)
{
	for (int n : {1, 2, 3, 8, 31, 40}) {
		auto range = make_range(n);
		for (int culprit = 0; culprit < n; culprit++) {
			Scripted s{culprit, {}, {}};
			auto out = bisect_linear(range, std::ref(s), log_line);
			ASSERT_EQ(out.kind, BisectOutcome::Kind::found) << n << " " << culprit;
			EXPECT_EQ(static_cast<int>(out.culprit), culprit);
			// log2 steps, never the bad end itself
			EXPECT_LE(s.calls.size(), static_cast<std::size_t>(estimate_steps(n) + 2));
			for (auto c : s.calls)
				EXPECT_NE(static_cast<int>(c), n - 1);
		}
	}
}

TEST(BisectLinear, LogsInGitBisectShape)
{
	g_log.clear();
	auto range = make_range(16);
	Scripted s{5, {}, {}};
	bisect_linear(range, std::ref(s), log_line);
	ASSERT_FALSE(g_log.empty());
	EXPECT_EQ(g_log[0].rfind("Bisecting: ", 0), 0u) << g_log[0];
	EXPECT_NE(g_log[0].find("left to test after this (roughly 3 steps)"), std::string::npos) << g_log[0];
	EXPECT_EQ(g_log[1], "[c07] commit 7");
	EXPECT_EQ(g_log[2], "# git bisect bad c07");
	EXPECT_EQ(g_log.back(), "c05 is the first bad commit");
}

TEST(BisectLinear, StepsAroundSkippedRevisions)
{
	auto range = make_range(20);
	Scripted s{12, {8, 9, 10}, {}};
	auto out = bisect_linear(range, std::ref(s), log_line);
	ASSERT_EQ(out.kind, BisectOutcome::Kind::found);
	EXPECT_EQ(out.culprit, 12u);
	// the middle (9) was skipped, so a neighbour was tried instead
	ASSERT_GE(s.calls.size(), 2u);
	EXPECT_EQ(s.calls[0], 9u);
	EXPECT_TRUE(s.calls[1] == 10u || s.calls[1] == 8u || s.calls[1] == 11u) << s.calls[1];
	// every skipped revision is tried at most once
	for (std::size_t skip : {8u, 9u, 10u})
		EXPECT_LE(std::count(s.calls.begin(), s.calls.end(), skip), 1);
}

TEST(BisectLinear, SkippedRunNextToCulpritLeavesBothCandidates)
{
	auto range = make_range(20);
	Scripted s{12, {9, 10, 11}, {}};
	auto out = bisect_linear(range, std::ref(s), log_line);
	ASSERT_EQ(out.kind, BisectOutcome::Kind::ambiguous);
	EXPECT_EQ(out.candidates, (std::vector<std::size_t>{9, 10, 11, 12}));
}

TEST(BisectLinear, SkipNextToCulpritMakesItAmbiguous)
{
	auto range = make_range(10);
	Scripted s{6, {5}, {}};
	auto out = bisect_linear(range, std::ref(s), log_line);
	ASSERT_EQ(out.kind, BisectOutcome::Kind::ambiguous);
	EXPECT_EQ(out.candidates, (std::vector<std::size_t>{5, 6}));
}

TEST(BisectLinear, AllSkipRangeGivesUpWithEveryCandidate)
{
	g_log.clear();
	auto range = make_range(6);
	Scripted s{3, {0, 1, 2, 3, 4}, {}};
	auto out = bisect_linear(range, std::ref(s), log_line);
	ASSERT_EQ(out.kind, BisectOutcome::Kind::ambiguous);
	EXPECT_EQ(out.candidates, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
	EXPECT_EQ(s.calls.size(), 5u); // each tried once, none twice
	EXPECT_EQ(g_log.back(), "We cannot bisect more!");
}

TEST(BisectLinear, HarnessErrorAbortsAtOnce)
{
	auto range = make_range(10);
	int calls = 0;
	auto out = bisect_linear(
		range,
		[&](std::size_t) {
			calls++;
			return Verdict::error;
		},
		log_line);
	EXPECT_EQ(out.kind, BisectOutcome::Kind::error);
	EXPECT_EQ(calls, 1);
	EXPECT_NE(out.error.find("harness error"), std::string::npos);
}

TEST(BisectLinear, EmptyRangeIsAnError)
{
	auto out = bisect_linear(
		{}, [](std::size_t) { return Verdict::good; }, log_line);
	EXPECT_EQ(out.kind, BisectOutcome::Kind::error);
}
