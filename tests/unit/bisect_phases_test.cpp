// The phases of a bisection (userspace/bisect/phases.h), each driven alone
// through its seam: a fake history and a judge that answers from a table,
// no session around it.
#include "bisect/phases.h"
#include "bisect/report_json.h"
#include "bisect_fakes.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

namespace {

struct Phase {
	FakeRepo repo{10};
	Mode mode = pipehang_mode();
	std::vector<std::string> log;
	BisectionReport rep;
	std::map<std::string, Verdict> verdicts; // by commit id; good when absent
	std::vector<std::string> judged;
	Bisection b{repo,
		    mode,
		    [this](std::string_view l) { log.emplace_back(l); },
		    [this](const Commit &c, const char *) { return judge(c); },
		    [](const Commit &c) { return "sig-" + c.id; },
		    rep,
		    1,
		    {},
		    {},
		    0,
		    {}};

	Evaluation judge(const Commit &c)
	{
		judged.push_back(c.id);
		Evaluation ev;
		ev.build.ok = true;
		ev.test.verdict = verdicts.count(c.id) ? verdicts[c.id] : Verdict::good;
		if (ev.test.verdict == Verdict::bad)
			ev.test.title = "INFO: task hung in pipe_release";
		else if (ev.test.verdict != Verdict::good)
			ev.test.reason = "boot failed";
		return ev;
	}
	Commit c(int i) { return repo.commits.at(i); }
	bool logged(std::string_view needle) const
	{
		for (const auto &l : log)
			if (l.find(needle) != std::string::npos)
				return true;
		return false;
	}
};

// The Stopped a call throws (fails the test when none).
template <typename F>
Stopped stopped_by(F f)
{
	try {
		f();
	} catch (const Stopped &s) {
		return s;
	}
	ADD_FAILURE() << "no Stopped thrown";
	return Stopped("", false);
}

} // namespace

TEST(BisectPhases, ResolveEndsRefusesRangesWithNothingToBisect)
{
	Phase p;
	Ends ends = resolve_ends(p.repo, "c01", "c09", 6);
	ASSERT_TRUE(ends.good);
	EXPECT_EQ(ends.good->id, "c01");
	EXPECT_EQ(ends.bad.id, "c09");

	Stopped same = stopped_by([&] { resolve_ends(p.repo, "c03", "c03", 6); });
	EXPECT_TRUE(same.usage);
	EXPECT_FALSE(same.harness);
	Stopped off = stopped_by([&] { resolve_ends(p.repo, "", "c09", 0); });
	EXPECT_TRUE(off.usage);
	EXPECT_NE(std::string(off.what()).find("good-end search is off"), std::string::npos);
	EXPECT_FALSE(resolve_ends(p.repo, "", "c09", 6).good); // the search will find one
}

TEST(BisectPhases, TestEndsWantsABadEndAndNotesABadGoodEnd)
{
	Phase p;
	Ends ends{p.c(2), p.c(9)};
	Stopped not_bad = stopped_by([&] { test_ends(p.b, ends, 6); });
	EXPECT_FALSE(not_bad.harness);
	EXPECT_NE(std::string(not_bad.what()).find("is not bad (good)"), std::string::npos);

	Phase q;
	q.verdicts = {{"c09", Verdict::bad}, {"c02", Verdict::bad}};
	test_ends(q.b, ends, 6);
	EXPECT_TRUE(q.rep.good_end_was_bad);
	EXPECT_EQ(q.b.seen.size(), 2u); // both remembered for the later phases
	Stopped off = stopped_by([&] { test_ends(q.b, ends, 0); });
	EXPECT_NE(std::string(off.what()).find("already crashes"), std::string::npos);

	Phase r;
	r.verdicts = {{"c09", Verdict::bad}, {"c02", Verdict::skip}};
	test_ends(r.b, ends, 6);
	EXPECT_FALSE(r.rep.good_end_was_bad);
	EXPECT_TRUE(r.logged("could not be tested (boot failed); assuming it is good"));

	Phase e;
	e.verdicts = {{"c09", Verdict::error}};
	EXPECT_TRUE(stopped_by([&] { test_ends(e.b, ends, 6); }).harness);
}

TEST(BisectPhases, TightestBadEndIsTheOldestKnownBadAboveTheGoodEnd)
{
	Phase p;
	Ends ends{p.c(6), p.c(9)};
	p.rep.good_end_was_bad = true; // c06 crashed; the search went back
	SearchedRevision five, two;
	five.commit = p.c(5);
	five.verdict = Verdict::bad;
	two.commit = p.c(2);
	two.verdict = Verdict::good;
	p.rep.search.tried = {five, two};
	EXPECT_EQ(tightest_bad_end(p.repo, p.rep, p.c(2), ends).id, "c05");
	// Nothing known bad above the good end: the given bad end.
	EXPECT_EQ(tightest_bad_end(p.repo, p.rep, p.c(7), ends).id, "c09");
}

TEST(BisectPhases, FindGoodEndSearchesBackWhenTheGoodEndIsBad)
{
	Phase p;
	p.rep.given_good = "c06";
	p.rep.given_bad = "c09";
	p.rep.good_end_was_bad = true;
	p.verdicts = {{"c05", Verdict::bad}};
	Commit good = find_good_end(p.b, {p.c(6), p.c(9)}, SearchOptions{});
	EXPECT_EQ(good.id, "c04"); // c06~1 bad, c06~2 good
	ASSERT_TRUE(p.rep.good);
	EXPECT_EQ(p.rep.good->id, "c04");
	EXPECT_TRUE(p.rep.search.ran);

	Phase none;
	none.rep.given_bad = "c09";
	none.verdicts = {{"c08", Verdict::bad},
			 {"c07", Verdict::bad},
			 {"c05", Verdict::bad},
			 {"c01", Verdict::bad},
			 {"c00", Verdict::bad}};
	Stopped s = stopped_by([&] { find_good_end(none.b, {std::nullopt, none.c(9)}, SearchOptions{}); });
	EXPECT_FALSE(s.harness);
	EXPECT_NE(std::string(s.what()).find("no good revision was found"), std::string::npos) << s.what();
}

TEST(BisectPhases, NarrowJudgesWhatTheEngineHandsOutUntilOneIsLeft)
{
	Phase p;
	for (int i = 5; i <= 9; i++)
		p.verdicts[p.c(i).id] = Verdict::bad;
	BisectStep step = narrow(p.b, p.c(0), p.c(9));
	ASSERT_EQ(step.kind, BisectStep::Kind::found);
	EXPECT_EQ(step.culprit.id, "c05");
	EXPECT_TRUE(p.logged("# git bisect start c09 c00"));
	EXPECT_TRUE(p.logged("# git bisect bad c05"));
	EXPECT_EQ(p.b.seen.size(), p.judged.size()); // every revision remembered

	Phase e;
	for (int i = 1; i <= 8; i++)
		e.verdicts[e.c(i).id] = Verdict::error;
	Stopped s = stopped_by([&] { narrow(e.b, e.c(0), e.c(9)); });
	EXPECT_TRUE(s.harness);
	EXPECT_NE(std::string(s.what()).find("harness error while testing"), std::string::npos);
	EXPECT_EQ(e.judged.size(), 1u);
}

TEST(BisectPhases, VerifyByRevertSaysWhatTheRevertShowed)
{
	Phase p;
	verify_by_revert(p.b, p.c(9), p.c(4), false);
	EXPECT_EQ(p.rep.verification, Verification::confirmed);
	EXPECT_TRUE(p.b.seen.empty()); // a revert is no revision of the history
	EXPECT_TRUE(p.logged("culprit verification: confirmed: with the culprit reverted the kernel is good"));

	Phase bad;
	bad.verdicts = {{"revert-c04-on-c09", Verdict::bad}};
	verify_by_revert(bad.b, bad.c(9), bad.c(4), true);
	EXPECT_EQ(bad.rep.verification, Verification::not_confirmed);
	EXPECT_TRUE(bad.logged("(a merge: against its first parent, -m 1)"));

	Phase conflict;
	conflict.repo.conflicting_reverts = true;
	verify_by_revert(conflict.b, conflict.c(9), conflict.c(4), false);
	EXPECT_EQ(conflict.rep.verification, Verification::inconclusive);
	EXPECT_TRUE(conflict.judged.empty());
}

TEST(BisectPhases, AMergeParentNotTestedIsGoodBelowAGoodRevision)
{
	Phase p;
	p.mode = syzbot_mode();
	Evaluation tested;
	tested.build.ok = true;
	tested.test.verdict = Verdict::good;
	tested.test.entry_unavailable = true;
	tested.test.unavailable_entry = "openat2";
	p.b.seen["c03"] = tested;
	explain_merge_culprit(p.b, p.c(5), {p.c(3), p.c(4)}, "");
	ASSERT_TRUE(p.rep.merge.is_merge);
	ASSERT_EQ(p.rep.merge.parents.size(), 2u);
	EXPECT_TRUE(p.rep.merge.parents[0].tested);
	EXPECT_EQ(p.rep.merge.parents[0].detail, "openat2 returned ENOSYS, counted clean in syzbot mode");
	EXPECT_FALSE(p.rep.merge.parents[1].tested);
	EXPECT_EQ(p.rep.merge.parents[1].verdict, Verdict::good);
}

TEST(BisectPhases, FalseCulpritPhaseReadsWhatTheGoodSideReported)
{
	Phase p;
	p.b.good_unavailable = 3;
	p.b.unavailable = {"openat2"};
	check_for_false_culprit(p.b, "+SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename,\n", false);
	EXPECT_TRUE(p.rep.false_culprit.suspicious());
	EXPECT_TRUE(p.logged("false-culprit check: "));
}

TEST(BisectPhases, SignaturesEqualToTheParentsFlagAFlakyReproducer)
{
	Phase p;
	p.b.signature_of = [](const Commit &) { return std::string("same"); };
	compare_signatures(p.b, p.c(4), p.c(3));
	EXPECT_TRUE(p.rep.same_signature_as_parent);
	EXPECT_TRUE(p.logged("Reproducer flagged being flaky"));
}

// The JSON --json writes: the same fields as before it moved into the
// library (docs/bisect.md lists them).
TEST(BisectReportJson, HasEveryDocumentedField)
{
	Fixture f;
	SessionReport s = f.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	nlohmann::json j = session_json(s);
	ASSERT_TRUE(j.contains("first"));
	ASSERT_TRUE(j.contains("rebisect"));
	for (const char *k : {"mode",
			      "mode_description",
			      "completed",
			      "error",
			      "harness_error",
			      "given_good",
			      "given_bad",
			      "good_end_was_bad",
			      "good_end_search",
			      "found_good",
			      "found_good_by_tag",
			      "good",
			      "culprit",
			      "candidates",
			      "culprit_signature",
			      "parent_signature",
			      "same_signature_as_parent",
			      "verification",
			      "verification_detail",
			      "false_culprit",
			      "merge",
			      "usage_error",
			      "revisions_tested",
			      "workers",
			      "rounds",
			      "verdicts_reused",
			      "total_seconds",
			      "build_seconds",
			      "test_seconds",
			      "tested"})
		EXPECT_TRUE(j["first"].contains(k)) << k;
	EXPECT_EQ(j["first"].size(), 30u); // no field lost, none added undocumented
	EXPECT_EQ(j["first"]["culprit"]["id"], "c24");
	EXPECT_EQ(j["rebisect"]["culprit"]["id"], "c11");
	EXPECT_EQ(j["first"]["verification"], "confirmed");
	EXPECT_TRUE(j["first"]["merge"].is_null());
}

TEST(BisectReportJson, AMergeCulpritHasItsParentsAndEntryPoints)
{
	MergeCulprit m;
	m.is_merge = true;
	ParentVerdict p;
	p.commit = {"c03", "fs: change 3"};
	p.tested = true;
	p.detail = "openat2 returned ENOSYS, counted clean in syzbot mode";
	m.parents = {p};
	m.commits_brought_in = 2;
	m.entry_points = {{"openat2", "syscall", "c04", "open: introduce openat2(2) syscall"}};
	m.explanation = {"openat2 arrives through this merge"};
	nlohmann::json j = merge_json(m);
	EXPECT_EQ(j["parents"][0]["id"], "c03");
	EXPECT_EQ(j["parents"][0]["verdict"], "good");
	EXPECT_EQ(j["parents"][0]["tested"], true);
	EXPECT_EQ(j["commits_brought_in"], 2);
	EXPECT_EQ(j["entry_points"][0]["name"], "openat2");
	EXPECT_EQ(j["entry_points"][0]["subject"], "open: introduce openat2(2) syscall");
	EXPECT_EQ(j["sides_break_together"], false);
	EXPECT_EQ(j["explanation"][0], "openat2 arrives through this merge");
	EXPECT_TRUE(merge_json(MergeCulprit{}).is_null());
}
