// A whole bisection session against a fake git history and a fake oracle
// that models the fixture: a planted hang and a later openat2 commit.
#include "bisect_fakes.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

TEST(BisectSession, PipehangModeFindsThePlantedBugAndConfirmsIt)
{
	Fixture f;
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	ASSERT_TRUE(r.completed) << r.error;
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_EQ(r.verification, Verification::confirmed);
	EXPECT_FALSE(r.false_culprit.suspicious());
	EXPECT_FALSE(r.same_signature_as_parent);
	// both ends + ~5 steps + the revert
	EXPECT_GE(r.revisions_tested, 6);
	EXPECT_LE(r.revisions_tested, 10);
	EXPECT_DOUBLE_EQ(r.test_seconds, 40.0 * f.oracle.tests);
	EXPECT_TRUE(f.logged("testing commit c32"));
	EXPECT_TRUE(f.logged("kernel signature: sig-c32"));
	EXPECT_TRUE(f.logged("run #0: crashed: INFO: task hung in pipe_release"));
	EXPECT_TRUE(f.logged("# git bisect start c32 c00"));
	EXPECT_TRUE(f.logged("c11 is the first bad commit"));
}

TEST(BisectSession, SyzbotModeBlamesOpenat2ThenFallbackFindsTheBug)
{
	Fixture f;
	auto s = f.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	ASSERT_TRUE(s.first.completed);
	ASSERT_TRUE(s.first.culprit);
	EXPECT_EQ(s.first.culprit->id, "c24");
	// Reverting openat2 hides the reproducer again, so even the revert
	// "confirms" the false culprit: only the false-culprit check catches it.
	EXPECT_EQ(s.first.verification, Verification::confirmed);
	ASSERT_TRUE(s.first.false_culprit.suspicious());
	EXPECT_EQ(s.first.false_culprit.reasons.size(), 2u);
	ASSERT_TRUE(s.rebisect);
	ASSERT_TRUE(s.rebisect->culprit);
	EXPECT_EQ(s.rebisect->culprit->id, "c11");
	EXPECT_FALSE(s.rebisect->false_culprit.suspicious());
	EXPECT_TRUE(f.logged("the culprit may be false: bisecting again in pipehang mode"));
}

TEST(BisectSession, NoRebisectWhenTheCulpritIsNotSuspicious)
{
	Fixture f;
	auto s = f.session.run("c00", "c32", pipehang_mode(), pipehang_mode(), false);
	ASSERT_TRUE(s.first.culprit);
	EXPECT_FALSE(s.rebisect);
	EXPECT_EQ(s.first.verification, Verification::not_run);
}

TEST(BisectSession, IdenticalSignaturesReuseTheVerdict)
{
	Fixture f;
	// c12..c20 only touch comments: the kernel code equals c11's.
	for (int i = 12; i <= 20; i++)
		f.oracle.signatures[fmt::format("c{:02}", i)] = "sig-c11";
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), false);
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_GE(r.verdicts_reused, 1);
	EXPECT_EQ(f.oracle.tests + r.verdicts_reused, r.revisions_tested);
	EXPECT_TRUE(f.logged("reusing its verdict (bad) without booting"));
	std::set<std::string> distinct(f.oracle.tested.begin(), f.oracle.tested.end());
	EXPECT_EQ(distinct.size(), f.oracle.tested.size());
}

TEST(BisectSession, CulpritWithParentSignatureIsFlagged)
{
	// c11 only edits a comment: same code as c10. The bug is in c10, but a
	// flaky run called c10 good; without verdict reuse c11 is tested too and
	// crashes, so the bisection blames c11 -- whose code equals its parent's.
	FakeRepo repo(33);
	FakeOracle oracle(repo, 10, 24);
	oracle.signatures["c11"] = oracle.signatures["c10"] = "sig-same";
	oracle.flaky_good.insert("c10");
	std::vector<std::string> log;
	Session session(repo, oracle, [&](std::string_view l) { log.emplace_back(l); });
	session.set_reuse_verdicts(false);
	// make the bisection visit c10 before c11: good end c08
	auto r = session.bisect("c08", "c12", pipehang_mode(), false);
	ASSERT_TRUE(r.culprit) << r.error;
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(r.same_signature_as_parent);
	EXPECT_EQ(r.culprit_signature, "sig-same");
	EXPECT_EQ(r.verdicts_reused, 0);
	bool noted = false;
	for (const auto &l : log)
		noted |= l.find("culprit and its parent build the same kernel code") != std::string::npos;
	EXPECT_TRUE(noted);
	auto lines = summary_lines(r);
	EXPECT_NE(std::find(lines.begin(), lines.end(),
			    "note: the culprit and its parent have the same kernel signature"),
		  lines.end());
}

TEST(BisectSession, WithReuseTheSameSignatureGetsTheSameVerdict)
{
	FakeRepo repo(33);
	FakeOracle oracle(repo, 10, 24);
	oracle.signatures["c11"] = oracle.signatures["c10"] = "sig-same";
	oracle.flaky_good.insert("c10");
	Session session(repo, oracle, [](std::string_view) {});
	auto r = session.bisect("c08", "c12", pipehang_mode(), false);
	ASSERT_TRUE(r.culprit);
	// whichever of c10/c11 ran first decided both: never the same-code pair
	EXPECT_FALSE(r.same_signature_as_parent);
	EXPECT_EQ(r.verdicts_reused, 1);
}

TEST(BisectSession, FlakyGoodGivesWrongCulpritThatVerificationRejects)
{
	Fixture f;
	// c16 has the bug but the oracle missed it once: bisection lands after it
	f.oracle.flaky_good.insert("c16");
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	ASSERT_TRUE(r.culprit);
	ASSERT_NE(std::find(f.oracle.tested.begin(), f.oracle.tested.end(), "c16"), f.oracle.tested.end());
	EXPECT_GT(f.repo.index(r.culprit->id), 16);
	EXPECT_EQ(r.verification, Verification::not_confirmed);
	EXPECT_NE(r.verification_detail.find("still crashes"), std::string::npos);
}

TEST(BisectSession, BuildFailuresAreSkippedNeverBad)
{
	Fixture f;
	f.oracle.broken = {"c16", "c15", "c17"};
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), false);
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(f.logged("kernel build failed: fs/splice.c:12"));
	EXPECT_TRUE(f.logged("# git bisect skip c16"));
	for (const auto &t : f.oracle.tested)
		EXPECT_FALSE(f.oracle.broken.count(t)) << t;
}

TEST(BisectSession, AllSkipRangeReportsCandidates)
{
	Fixture f;
	for (int i = 1; i < 32; i++)
		f.oracle.broken.insert(fmt::format("c{:02}", i));
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	ASSERT_TRUE(r.completed);
	EXPECT_FALSE(r.culprit);
	EXPECT_EQ(r.candidates.size(), 32u);
	auto lines = summary_lines(r);
	EXPECT_NE(lines[1].find("could be any of 32 commits"), std::string::npos) << lines[1];
}

TEST(BisectSession, BadEndThatIsNotBadAborts)
{
	Fixture f;
	auto r = f.session.bisect("c00", "c05", pipehang_mode(), true);
	EXPECT_FALSE(r.completed);
	EXPECT_FALSE(r.harness_error);
	EXPECT_NE(r.error.find("is not bad (good)"), std::string::npos) << r.error;
	EXPECT_EQ(f.oracle.tests, 1);
}

TEST(BisectSession, GoodEndThatCrashesAbortsWhenTheSearchIsOff)
{
	Fixture f;
	f.session.set_good_end_search({0, ""});
	auto r = f.session.bisect("c12", "c32", pipehang_mode(), true);
	EXPECT_FALSE(r.completed);
	EXPECT_NE(r.error.find("already crashes"), std::string::npos) << r.error;
	EXPECT_FALSE(r.search.ran);
	EXPECT_EQ(f.oracle.tests, 2);
}

TEST(BisectSession, HarnessErrorAbortsWithoutVerdict)
{
	Fixture f;
	f.oracle.errors.insert("c16");
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.harness_error);
	EXPECT_FALSE(r.culprit);
}

TEST(BisectSession, UnknownRevisionIsAHarnessError)
{
	Fixture f;
	auto r = f.session.bisect("nope", "c32", pipehang_mode(), true);
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.harness_error);
	EXPECT_NE(r.error.find("unknown revision nope"), std::string::npos);
	EXPECT_EQ(f.oracle.builds, 0);
}

TEST(BisectSession, ConflictingRevertIsInconclusive)
{
	Fixture f;
	f.repo.conflicting_reverts = true;
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.verification, Verification::inconclusive);
}

TEST(BisectSession, SummaryNamesCulpritAndTimes)
{
	Fixture f;
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), true);
	auto lines = summary_lines(r);
	ASSERT_GE(lines.size(), 4u);
	EXPECT_EQ(lines[1], "first bad commit: c11 fs: change 11");
	EXPECT_EQ(lines[2].rfind("culprit verification: confirmed", 0), 0u) << lines[2];
	EXPECT_NE(lines.back().find(fmt::format("revisions tested: {}", r.revisions_tested)), std::string::npos);
	EXPECT_NE(lines.back().find("build: "), std::string::npos);
}

// Bad input is never "no culprit" (issue 22): an impossible range, or a
// tree the build script refuses, ends the session as a usage error.
TEST(BisectSession, ImpossibleRangesAreUsageErrors)
{
	Fixture f;
	auto same = f.session.bisect("c05", "c05", pipehang_mode(), false);
	EXPECT_TRUE(same.usage_error);
	EXPECT_FALSE(same.harness_error);
	EXPECT_NE(same.error.find("--good c05 and --bad c05 are the same commit"), std::string::npos) << same.error;
	auto swapped = f.session.bisect("c20", "c10", pipehang_mode(), false);
	EXPECT_TRUE(swapped.usage_error);
	EXPECT_NE(swapped.error.find("is newer than --bad c10"), std::string::npos) << swapped.error;
	EXPECT_EQ(f.oracle.builds, 0) << "nothing may be built for an impossible range";
}

TEST(BisectSession, ABuildScriptRefusingTheTreeIsAUsageErrorNotASkip)
{
	Fixture f;
	f.oracle.refused.insert("c32");
	auto r = f.session.bisect("c00", "c32", pipehang_mode(), false);
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.usage_error);
	EXPECT_FALSE(r.harness_error);
	EXPECT_FALSE(r.culprit);
	EXPECT_NE(r.error.find("bad input to the kernel build: build-kernel.sh refused its input"), std::string::npos)
		<< r.error;
	EXPECT_EQ(f.oracle.tests, 0) << "a refused tree was booted";
}
