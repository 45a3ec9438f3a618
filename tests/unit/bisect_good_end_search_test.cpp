// The good-end search against the fake history and oracle: the given good
// end is bad (as syzbot's v5.5 was), so the bisection must look further back
// -- tags first, else first parents at doubling distances -- within a bound,
// stepping over revisions it cannot test.
#include "bisect_fakes.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

namespace {

std::vector<std::string> tried_ids(const GoodEndSearch &s)
{
	std::vector<std::string> out;
	for (const auto &r : s.tried)
		out.push_back(r.commit.id);
	return out;
}

// The lead's replay fixture in miniature: the hang comes in c11; the tag a
// user would give as good, replay-v5.5, is after it.
void replay_tags(FakeRepo &repo)
{
	repo.tags[3] = {"replay-base"};
	repo.tags[9] = {"replay-latent"};
	repo.tags[13] = {"replay-mid"};
	repo.tags[20] = {"replay-v5.5"};
	repo.tags[32] = {"replay-tip"};
}

} // namespace

TEST(BisectGoodEndSearch, GoodEndBadWithTagsFindsTheNewestGoodTag)
{
	Fixture f;
	replay_tags(f.repo);
	auto r = f.session.bisect("replay-v5.5", "replay-tip", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_EQ(r.given_good, "replay-v5.5");
	EXPECT_EQ(r.given_bad, "replay-tip");
	EXPECT_TRUE(r.good_end_was_bad);
	ASSERT_TRUE(r.search.ran);
	// newest first; replay-tip is not before the good end
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c13", "c09"}));
	EXPECT_EQ(r.search.tried[0].verdict, Verdict::bad);
	EXPECT_EQ(r.search.tried[0].reason, "INFO: task hung in pipe_release");
	ASSERT_TRUE(r.search.found);
	EXPECT_EQ(r.search.found->commit.id, "c09");
	EXPECT_EQ(r.search.found->found_by, FoundBy::tag);
	EXPECT_EQ(r.search.found->tag, "replay-latent");
	EXPECT_EQ(r.search.stopped, "found");
	EXPECT_EQ(r.search.tag_pattern, "*"); // no release tags: every tag
	ASSERT_TRUE(r.good);
	EXPECT_EQ(r.good->id, "c09");
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	// The oldest bad revision seen (replay-mid) bounds the bisection: nothing
	// between it and the bad end is tested.
	for (const auto &t : f.oracle.tested) {
		int i = f.repo.index(t);
		EXPECT_TRUE(i <= 13 || i == 20 || i == 32) << t;
	}
	EXPECT_TRUE(f.logged("given: good replay-v5.5 (c20), bad replay-tip (c32)"));
	EXPECT_TRUE(f.logged("good end replay-v5.5 is bad: the bug is older than the given range; searching back "
			     "(tags, up to 6 revisions)"));
	EXPECT_TRUE(f.logged("search 1/6: tag replay-mid (c13 fs: change 13): bad (INFO: task hung in pipe_release)"));
	EXPECT_TRUE(f.logged("search 2/6: tag replay-latent (c09 fs: change 9): good"));
	EXPECT_TRUE(f.logged("found good: tag replay-latent (c09 fs: change 9)"));
	// The oldest revision found bad is the bisection's bad end.
	EXPECT_TRUE(f.logged("# git bisect start c13 c09"));
	auto lines = summary_lines(r);
	ASSERT_GE(lines.size(), 2u);
	EXPECT_EQ(lines[1], "good end replay-v5.5 was bad: the bug is older than the given range; found good: tag "
			    "replay-latent (c09 fs: change 9) (2 revision(s) searched back)");
	EXPECT_EQ(lines[2], "first bad commit: c11 fs: change 11");
}

TEST(BisectGoodEndSearch, GoodEndBadWithoutTagsBacksOffExponentially)
{
	Fixture f;
	auto r = f.session.bisect("c20", "c32", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_TRUE(r.good_end_was_bad);
	// distances 1, 2, 4, 8, 16 from c20
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c19", "c18", "c16", "c12", "c04"}));
	ASSERT_TRUE(r.search.found);
	EXPECT_EQ(r.search.found->found_by, FoundBy::first_parent);
	EXPECT_EQ(r.search.found->distance, 16);
	EXPECT_EQ(r.search.found->label, "c20~16");
	EXPECT_EQ(r.search.tag_pattern, "");
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(
		f.logged("(no tags before c20: first-parent ancestors at distance 1, 2, 4, ..., up to 6 revisions)"));
	EXPECT_TRUE(f.logged("search 5/6: c20~16 (c04 fs: change 4): good"));
	EXPECT_TRUE(f.logged("# git bisect start c12 c04"));
}

TEST(BisectGoodEndSearch, BoundReachedIsAClearResultNotACrash)
{
	Fixture f;
	f.session.set_good_end_search({3, ""});
	auto r = f.session.bisect("c20", "c32", pipehang_mode(), true);
	EXPECT_FALSE(r.completed);
	EXPECT_FALSE(r.harness_error); // exit 3, not 128
	EXPECT_FALSE(r.culprit);
	EXPECT_TRUE(r.good_end_was_bad);
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c19", "c18", "c16"}));
	EXPECT_FALSE(r.search.found);
	EXPECT_EQ(r.search.stopped, "bound reached");
	EXPECT_NE(r.error.find("the good end c20 is bad and no good revision was found before it"), std::string::npos)
		<< r.error;
	EXPECT_NE(r.error.find("the search tested its limit of 3 revision(s)"), std::string::npos) << r.error;
	EXPECT_NE(r.error.find("tried: c20~1: bad, c20~2: bad, c20~4: bad"), std::string::npos) << r.error;
	EXPECT_NE(r.error.find("larger --search-back"), std::string::npos) << r.error;
	EXPECT_EQ(f.oracle.tests, 5); // both ends + 3
	auto lines = summary_lines(r);
	EXPECT_NE(lines[1].find("no good revision found (3 revision(s) searched back"), std::string::npos) << lines[1];
}

TEST(BisectGoodEndSearch, NothingGoodBeforeTheRootEndsTheSearchThere)
{
	FakeRepo repo(33);
	FakeOracle oracle(repo, 0, 24); // every kernel has the bug
	std::vector<std::string> log;
	Session session(repo, oracle, [&](std::string_view l) { log.emplace_back(l); });
	auto r = session.bisect("c05", "c32", pipehang_mode(), false);
	EXPECT_FALSE(r.completed);
	EXPECT_FALSE(r.harness_error);
	// 1, 2, 4, then 8 is past the root: the root c00 (distance 5), once
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c04", "c03", "c01", "c00"}));
	EXPECT_EQ(r.search.tried.back().distance, 5);
	EXPECT_EQ(r.search.stopped, "no older revision");
	EXPECT_NE(r.error.find("no older revision is left to try"), std::string::npos) << r.error;
}

TEST(BisectGoodEndSearch, UntestableRevisionsAreSteppedOverNotTakenAsGood)
{
	Fixture f;
	replay_tags(f.repo);
	f.oracle.broken.insert("c09"); // replay-latent does not build
	auto r = f.session.bisect("replay-v5.5", "replay-tip", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c13", "c09", "c03"}));
	EXPECT_EQ(r.search.tried[1].verdict, Verdict::skip);
	EXPECT_EQ(r.search.tried[1].reason, "kernel build failed");
	ASSERT_TRUE(r.search.found);
	EXPECT_EQ(r.search.found->tag, "replay-base");
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(f.logged("search 2/6: tag replay-latent (c09 fs: change 9): skip (kernel build failed)"));
}

TEST(BisectGoodEndSearch, TagsExhaustedContinueWithFirstParentsOfTheOldestTag)
{
	Fixture f;
	f.repo.tags[13] = {"only-tag"};
	auto r = f.session.bisect("c20", "c32", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	// only-tag (bad), then only-tag~1, ~2 (c11, bad), ~4 (c09, good)
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c13", "c12", "c11", "c09"}));
	EXPECT_EQ(r.search.found->label, "only-tag~4");
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(f.logged("no tag tested good: first-parent ancestors of only-tag at distance 1, 2, 4, ..."));
}

TEST(BisectGoodEndSearch, WithoutGoodTheSearchStartsFromTheBadEndsReleaseTags)
{
	Fixture f;
	f.repo.tags[28] = {"v5.6-rc1"};
	f.repo.tags[25] = {"not-a-release"};
	f.repo.tags[20] = {"v5.5"};
	f.repo.tags[8] = {"v5.4"};
	auto r = f.session.bisect("", "c32", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_FALSE(r.good_end_was_bad);
	EXPECT_EQ(r.given_good, "");
	ASSERT_TRUE(r.search.ran);
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c20", "c08"})); // -rc and other tags left out
	EXPECT_EQ(r.good->id, "c08");
	EXPECT_EQ(r.culprit->id, "c11");
	EXPECT_TRUE(f.logged("given: no good end, bad c32 (c32)"));
	EXPECT_TRUE(f.logged("no good end given; searching back (release tags, up to 6 revisions)"));
	EXPECT_EQ(summary_lines(r)[1].rfind("no good end given; found good: tag v5.4 (c08 fs: change 8)", 0), 0u);
}

TEST(BisectGoodEndSearch, TagPatternChoosesTheTags)
{
	Fixture f;
	replay_tags(f.repo);
	f.repo.tags[15] = {"other-15"};
	f.session.set_good_end_search({6, "replay-*"});
	auto r = f.session.bisect("replay-v5.5", "replay-tip", pipehang_mode(), false);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_EQ(tried_ids(r.search), (std::vector<std::string>{"c13", "c09"}));
	EXPECT_EQ(r.search.tag_pattern, "replay-*");
	EXPECT_TRUE(f.logged("searching back (tags matching 'replay-*', up to 6 revisions)"));
}

TEST(BisectGoodEndSearch, HarnessErrorDuringTheSearchAborts)
{
	Fixture f;
	f.oracle.errors.insert("c19");
	auto r = f.session.bisect("c20", "c32", pipehang_mode(), false);
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.harness_error);
	EXPECT_EQ(r.search.stopped, "harness error");
	EXPECT_NE(r.error.find("harness error while searching for a good end"), std::string::npos) << r.error;
}

TEST(BisectGoodEndSearch, SyzbotModeSeesNoBadGoodEndTheRebisectionSearches)
{
	// The demo: syzbot mode judges replay-v5.5 good (no openat2 there: the
	// reproducer fails and that counts as clean), blames openat2; the
	// pipehang-mode re-bisection from the same good end finds it bad and
	// searches back to the real culprit.
	Fixture f;
	replay_tags(f.repo);
	auto s = f.session.run("replay-v5.5", "replay-tip", syzbot_mode(), pipehang_mode(), false);
	ASSERT_TRUE(s.first.culprit);
	EXPECT_EQ(s.first.culprit->id, "c24");
	EXPECT_FALSE(s.first.good_end_was_bad);
	EXPECT_FALSE(s.first.search.ran);
	ASSERT_TRUE(s.rebisect);
	EXPECT_TRUE(s.rebisect->good_end_was_bad);
	ASSERT_TRUE(s.rebisect->search.found);
	EXPECT_EQ(s.rebisect->search.found->tag, "replay-latent");
	ASSERT_TRUE(s.rebisect->culprit);
	EXPECT_EQ(s.rebisect->culprit->id, "c11");
	EXPECT_TRUE(f.logged("=== pipehang mode: entry auto with fallback"));
	EXPECT_TRUE(f.logged("good end replay-v5.5 was bad: the bug is older than the given range; found good: tag "
			     "replay-latent"));
}

TEST(BisectGoodEndSearch, NoGoodAndNoSearchIsRefused)
{
	Fixture f;
	f.session.set_good_end_search({0, ""});
	auto r = f.session.bisect("", "c32", pipehang_mode(), false);
	EXPECT_FALSE(r.completed);
	EXPECT_NE(r.error.find("no good end given and the good-end search is off"), std::string::npos);
	EXPECT_EQ(f.oracle.builds, 0);
}

TEST(BisectGoodEndSearch, PickTagsGroupsTagsOfOneCommitAndPrefersReleases)
{
	Commit a{"a", "A"}, b{"b", "B"}, c{"c", "C"};
	std::vector<TaggedCommit> reachable = {
		{"v5.5", a}, {"v5.5-rc7", b}, {"fixture-x", b}, {"v5.4", c}, {"v5.4.0", c}};
	std::string used;
	auto rel = pick_tags(reachable, "", used);
	ASSERT_EQ(rel.size(), 2u);
	EXPECT_EQ(rel[0].tag, "v5.5");
	EXPECT_EQ(rel[1].tag, "v5.4, v5.4.0");
	EXPECT_EQ(used, "release tags (vX.Y, vX.Y.Z)");
	auto glob = pick_tags(reachable, "*-rc*", used);
	ASSERT_EQ(glob.size(), 1u);
	EXPECT_EQ(glob[0].commit.id, "b");
	EXPECT_EQ(used, "*-rc*");
	auto none = pick_tags({{"fixture-x", b}, {"base", c}}, "", used);
	ASSERT_EQ(none.size(), 2u); // no release tags: every tag
	EXPECT_EQ(used, "*");
	EXPECT_TRUE(pick_tags(reachable, "nomatch*", used).empty());
}
