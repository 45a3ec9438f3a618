// k-ary multisection (multisect.h, multisection.h): the planner on
// synthetic histories, whole multisections against an in-memory git
// (engines/dag_engine.h) for K = 1 ... 15 -- linear and merge-heavy
// histories, skips, the culprit at either end or on a topic branch -- and
// on a real git repository with a merge through GitBisect.
#include "bisect/git_bisect.h"
#include "bisect/multisect.h"
#include "bisect/multisection.h"
#include "engines/dag_engine.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;
namespace fs = std::filesystem;

namespace {

DagHistory linear(int n)
{
	DagHistory h;
	for (int i = 0; i < n; i++)
		h.add(i == 0 ? std::vector<int>{} : std::vector<int>{i - 1});
	return h;
}

// A mainline of merges: every few commits a topic branch of `side`
// commits forks from mainline and is merged back after mainline moved on.
DagHistory merges(int topics, int side)
{
	DagHistory h;
	int tip = h.add({});
	for (int t = 0; t < topics; t++) {
		int fork = tip, branch = fork;
		for (int s = 0; s < side; s++)
			branch = h.add({branch});
		tip = h.add({tip});
		tip = h.add({tip});
		tip = h.add({tip, branch}); // the merge
		(void)fork;
	}
	return h;
}

struct Outcome {
	Round::Kind kind = Round::Kind::test;
	std::string culprit;
	std::set<std::string> candidates;
	int rounds = 0;
	int tested = 0;
};

// Multisects good..bad where every revision with `culprit` below it (or
// being it) is bad and `skips` cannot be tested.
Outcome multisect(const DagHistory &h, int good, int bad, int culprit, const std::set<int> &skips, int k)
{
	auto engine = std::make_unique<DagEngine>(h);
	DagEngine *git = engine.get();
	Multisection m(
		std::move(engine), [git] { return git->candidates(); },
		[&h](const std::string &id) { return h.commits[h.index(id)]; }, k);
	Outcome o;
	Round r = m.start(h.commits[bad], h.commits[good]);
	std::set<std::string> tested;
	while (r.kind == Round::Kind::test && o.rounds < 1000) {
		EXPECT_LE(r.next.size(), static_cast<std::size_t>(k));
		EXPECT_FALSE(r.next.empty());
		std::vector<std::pair<Commit, Verdict>> verdicts;
		for (const auto &c : r.next) {
			EXPECT_TRUE(tested.insert(c.id).second) << c.id << " tested twice";
			int i = h.index(c.id);
			Verdict v = skips.count(i)            ? Verdict::skip
				    : h.ancestors(i)[culprit] ? Verdict::bad
							      : Verdict::good;
			verdicts.push_back({c, v});
		}
		o.rounds++;
		o.tested += static_cast<int>(verdicts.size());
		r = m.mark(verdicts);
	}
	o.kind = r.kind;
	o.culprit = r.culprit.id;
	for (const auto &c : r.candidates)
		o.candidates.insert(c.id);
	EXPECT_EQ(m.rounds(), o.rounds);
	return o;
}

const int kWorkers[] = {1, 2, 3, 7, 15};

} // namespace

TEST(Multisect, ParsesRevListBisectAll)
{
	const std::string a(40, 'a'), b(40, 'b'), c(40, 'c');
	auto cands = parse_bisect_all(a + " " + b + " " + c + " (dist=4)\n" + b +
				      " (HEAD -> master, refs/bisect/bad, dist=0)\n" + "warning: not a candidate\n");
	ASSERT_EQ(cands.size(), 2u);
	EXPECT_EQ(cands[0].id, a);
	EXPECT_EQ(cands[0].parents, (std::vector<std::string>{b, c}));
	EXPECT_EQ(cands[0].dist, 4);
	EXPECT_EQ(cands[1].id, b);
	EXPECT_TRUE(cands[1].parents.empty());
	EXPECT_EQ(cands[1].dist, 0);
}

TEST(Multisect, WeightsCountEveryAncestorOnceAcrossMerges)
{
	// x <- y <- m, x <- z <- m: m has all four below it or being it.
	std::vector<Candidate> c = {{"m", {"y", "z"}, 0}, {"y", {"x"}, 0}, {"z", {"x"}, 0}, {"x", {"good"}, 0}};
	EXPECT_EQ(candidate_weights(c), (std::vector<int>{4, 2, 2, 1}));
}

TEST(Multisect, PlansEvenlySpacedRevisionsNeverTheBadEndNorASkip)
{
	DagHistory h = linear(17); // m00 good, m01..m16 candidates, m16 bad
	DagEngine git(h);
	git.start(h.commits[16], h.commits[0]);
	auto cands = git.candidates();
	ASSERT_EQ(cands.size(), 16u);
	auto weights = candidate_weights(cands);
	auto weight_of = [&](std::size_t i) { return weights[i]; };
	auto one = plan_round(cands, {}, 1);
	ASSERT_EQ(one.size(), 1u);
	EXPECT_EQ(weight_of(one[0]), 8); // the middle, as git picks it
	auto three = plan_round(cands, {}, 3);
	ASSERT_EQ(three.size(), 3u);
	EXPECT_EQ(weight_of(three[0]), 4);
	EXPECT_EQ(weight_of(three[1]), 8);
	EXPECT_EQ(weight_of(three[2]), 12);
	auto skipped = plan_round(cands, {h.commits[8].id}, 1); // m08 has weight 8
	ASSERT_EQ(skipped.size(), 1u);
	EXPECT_NE(cands[skipped[0]].id, h.commits[8].id);
	// More workers than revisions: every revision but the bad end, once.
	auto all = plan_round(cands, {}, 40);
	EXPECT_EQ(all.size(), 15u);
	for (std::size_t i : all)
		EXPECT_NE(cands[i].id, h.commits[16].id);
}

TEST(Multisection, LinearHistoryGivesTheSameCulpritForEveryK)
{
	DagHistory h = linear(301);
	for (int culprit : {1, 2, 150, 299, 300})
		for (int k : kWorkers) {
			Outcome o = multisect(h, 0, 300, culprit, {}, k);
			EXPECT_EQ(o.kind, Round::Kind::found) << "k=" << k << " culprit " << culprit;
			EXPECT_EQ(o.culprit, h.commits[culprit].id) << "k=" << k;
		}
}

TEST(Multisection, MergeHeavyHistoryGivesTheSameCulpritForEveryK)
{
	DagHistory h = merges(30, 4); // 211 commits, 30 merges
	int bad = static_cast<int>(h.commits.size()) - 1;
	// A topic-branch commit, a mainline commit, a merge, the first and the last.
	for (int culprit : {3, 6, 7, 50, 104, 1, bad})
		for (int k : kWorkers) {
			Outcome o = multisect(h, 0, bad, culprit, {}, k);
			EXPECT_EQ(o.kind, Round::Kind::found) << "k=" << k << " culprit " << culprit;
			EXPECT_EQ(o.culprit, h.commits[culprit].id) << "k=" << k << " culprit " << culprit;
		}
}

TEST(Multisection, SkipsAroundTheCulpritLeaveTheSameAnswerAsOneAtATime)
{
	DagHistory h = linear(101);
	// Untestable revisions that do not hide the culprit: still found.
	for (int k : kWorkers) {
		Outcome o = multisect(h, 0, 100, 40, {38, 41, 42}, k);
		EXPECT_EQ(o.kind, Round::Kind::found) << "k=" << k;
		EXPECT_EQ(o.culprit, h.commits[40].id) << "k=" << k;
	}
	// The culprit itself, or its parent, untestable: "could be any of"
	// the same revisions as for K = 1.
	for (int skip : {39, 40}) {
		Outcome one = multisect(h, 0, 100, 40, {skip}, 1);
		ASSERT_EQ(one.kind, Round::Kind::ambiguous);
		EXPECT_TRUE(one.candidates.count(h.commits[40].id));
		for (int k : kWorkers) {
			Outcome o = multisect(h, 0, 100, 40, {skip}, k);
			EXPECT_EQ(o.kind, Round::Kind::ambiguous) << "k=" << k << " skip " << skip;
			EXPECT_EQ(o.candidates, one.candidates) << "k=" << k << " skip " << skip;
		}
	}
}

TEST(Multisection, MoreWorkersNeedFewerRounds)
{
	DagHistory h = linear(10001);
	Outcome one = multisect(h, 0, 10000, 6543, {}, 1);
	Outcome three = multisect(h, 0, 10000, 6543, {}, 3);
	Outcome fifteen = multisect(h, 0, 10000, 6543, {}, 15);
	std::printf("10,000 commits: rounds k=1 %d, k=3 %d, k=15 %d; revisions tested %d, %d, %d\n", one.rounds,
		    three.rounds, fifteen.rounds, one.tested, three.tested, fifteen.tested);
	EXPECT_EQ(three.culprit, one.culprit);
	EXPECT_EQ(fifteen.culprit, one.culprit);
	EXPECT_LE(one.rounds, 14);
	EXPECT_LE(three.rounds * 10, one.rounds * 6) << three.rounds << " vs " << one.rounds; // <= 0.6x
	EXPECT_LE(fifteen.rounds, 4);
}

TEST(Multisection, EstimatesRounds)
{
	EXPECT_EQ(estimate_rounds(0, 3), 0);
	EXPECT_EQ(estimate_rounds(1, 1), 1);
	EXPECT_EQ(estimate_rounds(3, 3), 1);
	EXPECT_EQ(estimate_rounds(15, 1), 4);
	EXPECT_EQ(estimate_rounds(15, 3), 2);
	EXPECT_THROW(Multisection(nullptr, nullptr, nullptr, 0), std::invalid_argument);
}

namespace {

// A real git repository: a mainline and a topic branch merged into it.
class GitHistory {
public:
	GitHistory()
	{
		char tmpl[] = "/tmp/bisect-multisect-XXXXXX";
		dir = mkdtemp(tmpl);
		sh("git init -q -b master . && git config user.name t && git config user.email t@t");
	}
	~GitHistory() { fs::remove_all(dir); }
	std::string sh(const std::string &cmd)
	{
		std::string full = "cd " + dir.string() +
				   " && export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' "
				   "GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' && " +
				   cmd + " 2>&1";
		FILE *p = popen(full.c_str(), "r");
		std::string out;
		char buf[4096];
		while (std::size_t n = fread(buf, 1, sizeof buf, p))
			out.append(buf, n);
		EXPECT_EQ(pclose(p), 0) << cmd << ": " << out;
		return out;
	}
	void commit(const std::string &file, const std::string &subject)
	{
		sh("echo '" + subject + "' >" + file + " && git add -A && git commit -q -m '" + subject + "'");
	}
	Commit rev(const std::string &r)
	{
		std::string id = sh("git rev-parse '" + r + "'");
		id.pop_back();
		std::string subject = sh("git log -1 --format=%s " + id);
		subject.pop_back();
		return {id, subject};
	}
	fs::path dir;
};

} // namespace

TEST(Multisection, GitNamesTheSameCulpritForEveryKAcrossAMerge)
{
	GitHistory g;
	g.commit("base", "base");
	for (int i = 0; i < 6; i++)
		g.commit("main" + std::to_string(i), "main " + std::to_string(i));
	g.sh("git checkout -q -b topic HEAD~4");
	g.commit("t0", "topic 0");
	g.commit("bug", "topic: the bug");
	g.commit("t2", "topic 2");
	g.sh("git checkout -q master && git merge -q --no-ff topic -m 'Merge branch topic'");
	for (int i = 6; i < 12; i++)
		g.commit("main" + std::to_string(i), "main " + std::to_string(i));
	const Commit good = g.rev("master~13"), bad = g.rev("master");
	const Commit culprit = g.rev(":/topic: the bug");
	for (int k : {1, 3, 15}) { // git is slow to ask: three K are enough here
		auto engine = std::make_unique<GitBisect>(g.dir);
		GitBisect *git = engine.get();
		Multisection m(
			std::move(engine), [git] { return git->candidates(); },
			[&g](const std::string &id) { return g.rev(id); }, k);
		Round r = m.start(bad, good);
		while (r.kind == Round::Kind::test && m.rounds() < 50) {
			std::vector<std::pair<Commit, Verdict>> verdicts;
			for (const auto &c : r.next) {
				bool has_bug = !g.sh("git merge-base --is-ancestor " + culprit.id + " " + c.id +
						     " && echo yes || true")
							.empty();
				verdicts.push_back({c, has_bug ? Verdict::bad : Verdict::good});
			}
			r = m.mark(verdicts);
		}
		ASSERT_EQ(r.kind, Round::Kind::found) << "k=" << k;
		EXPECT_EQ(r.culprit.id, culprit.id) << "k=" << k;
		EXPECT_EQ(r.culprit.subject, "topic: the bug");
	}
	EXPECT_FALSE(GitBisect::in_progress(g.dir)); // every engine reset its bisection
}

TEST(Multisection, AGoodDescendantOfABadOneInARoundIsNotToldToGit)
{
	// A flaky reproducer: in one round the oldest pick is bad and a newer
	// one, its descendant, good. One at a time git never asks about a
	// descendant of a bad revision; told both, it would stop. The good one
	// is dropped and reported, and the multisection goes on below the bad.
	DagHistory h = linear(101);
	auto engine = std::make_unique<DagEngine>(h);
	DagEngine *git = engine.get();
	Multisection m(
		std::move(engine), [git] { return git->candidates(); },
		[&h](const std::string &id) { return h.commits[h.index(id)]; }, 3);
	Round r = m.start(h.commits[100], h.commits[0]);
	ASSERT_EQ(r.next.size(), 3u);
	const Commit oldest = r.next[0], middle = r.next[1], newest = r.next[2];
	ASSERT_LT(h.index(oldest.id), h.index(middle.id));
	r = m.mark({{oldest, Verdict::bad}, {middle, Verdict::good}, {newest, Verdict::bad}});
	ASSERT_EQ(r.contradicted.size(), 1u);
	EXPECT_EQ(r.contradicted[0].first.id, middle.id);
	EXPECT_EQ(r.contradicted[0].second.id, oldest.id);
	EXPECT_EQ(git->marks, 2); // the two bads only
	ASSERT_EQ(r.kind, Round::Kind::test);
	for (const auto &c : r.next)
		EXPECT_LT(h.index(c.id), h.index(oldest.id)) << c.id << " is not below the bad one";
	// Consistent verdicts are all told.
	Round r2 = m.mark({{r.next[0], Verdict::good}});
	EXPECT_TRUE(r2.contradicted.empty());
	EXPECT_EQ(git->marks, 3);
}
