// A bisection on a pool of workers (pool.h, round.cpp): the narrowing in
// rounds of K revisions, one per worker, on the fake history of
// bisect_fakes.h (the hang at c11, openat2 at c24). Every K gives the
// culprit one worker gives; a worker that fails gives its revision back
// and never a verdict; a revision no worker could test stops the
// bisection as a harness error.
#include "bisect_fakes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

namespace {

// One worker of the pool: its own fake oracle on the shared history (each
// worker's tree is its own: checkouts are counted per worker).
class FakeWorker : public Worker {
public:
	FakeWorker(int n, FakeRepo &repo) : name_("worker " + std::to_string(n)), oracle_(repo, 11, 24) {}
	std::string name() const override { return name_; }
	// A real checkout, build and boot take minutes: 10 ms keeps one
	// worker busy while the others take the rest of the round.
	void checkout(const Commit &c) override
	{
		checked_out.push_back(c.id);
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	Oracle &oracle() override { return oracle_; }

	FakeOracle &fake() { return oracle_; }
	std::vector<std::string> checked_out;

private:
	std::string name_;
	FakeOracle oracle_;
};

struct Pool {
	Fixture f;
	std::vector<FakeWorker *> workers;

	explicit Pool(int k, const std::function<void(FakeWorker &)> &set_up = {})
	{
		Workers ws;
		for (int i = 1; i <= k; i++) {
			auto w = std::make_unique<FakeWorker>(i, f.repo);
			if (set_up)
				set_up(*w);
			workers.push_back(w.get());
			ws.push_back(std::move(w));
		}
		f.session.set_workers(std::move(ws));
	}
	BisectionReport bisect() { return f.session.bisect("c00", "c32", pipehang_mode(), false); }
	// Revisions the narrowing tested, by round as the log shows them.
	int tested_in_narrowing(const BisectionReport &r) const
	{
		return static_cast<int>(std::count_if(r.tested.begin(), r.tested.end(),
						      [](const TestedRevision &t) { return t.role == "bisect"; }));
	}
};

} // namespace

TEST(BisectPool, EveryPoolSizeFindsTheCulpritOfOneWorker)
{
	Fixture one;
	BisectionReport single = one.session.bisect("c00", "c32", pipehang_mode(), false);
	ASSERT_TRUE(single.culprit.has_value());
	EXPECT_EQ(single.culprit->id, "c11");
	EXPECT_EQ(single.workers, 1);
	for (int k : {2, 3, 7, 15}) {
		Pool p(k);
		BisectionReport r = p.bisect();
		ASSERT_TRUE(r.completed) << "k=" << k << ": " << r.error;
		ASSERT_TRUE(r.culprit.has_value()) << "k=" << k;
		EXPECT_EQ(r.culprit->id, single.culprit->id) << "k=" << k;
		EXPECT_EQ(r.workers, k);
		EXPECT_LT(r.rounds, single.rounds) << "k=" << k;
		// Several revisions a round, on several workers.
		EXPECT_GT(p.tested_in_narrowing(r), r.rounds) << "k=" << k;
		int used = static_cast<int>(std::count_if(p.workers.begin(), p.workers.end(),
							  [](FakeWorker *w) { return !w->checked_out.empty(); }));
		EXPECT_GE(used, 2) << "k=" << k;
		// No revision of the narrowing tested twice.
		std::set<std::string> ids;
		for (const auto &t : r.tested) {
			if (t.role == "bisect") {
				EXPECT_TRUE(ids.insert(t.commit.id).second) << t.commit.id << " tested twice, k=" << k;
			}
		}
	}
}

TEST(BisectPool, RoundsShrinkWithMoreWorkers)
{
	Fixture one;
	int r1 = one.session.bisect("c00", "c32", pipehang_mode(), false).rounds;
	Pool three(3);
	int r3 = three.bisect().rounds;
	// 31 candidates: git needs 5 steps; three per round about log4(32) = 3.
	EXPECT_EQ(r1, 5);
	EXPECT_LE(r3, 3);
}

TEST(BisectPool, UnbuildableRevisionsAreSkippedAsWithOneWorker)
{
	const std::set<std::string> unbuildable = {"c05", "c12", "c16"};
	auto broken = [&](FakeWorker &w) { w.fake().broken = unbuildable; };
	Fixture one;
	one.oracle.broken = unbuildable;
	BisectionReport single = one.session.bisect("c00", "c32", pipehang_mode(), false);
	Pool p(3, broken);
	BisectionReport r = p.bisect();
	ASSERT_TRUE(single.culprit.has_value());
	ASSERT_TRUE(r.culprit.has_value()) << r.error << " " << ::testing::PrintToString(p.f.log);
	EXPECT_EQ(r.culprit->id, single.culprit->id);
}

TEST(BisectPool, SkipsBesideTheCulpritLeaveTheSameCandidates)
{
	// c10 cannot be built: c10 or c11 could be the first bad commit.
	Fixture one;
	one.oracle.broken = {"c10"};
	BisectionReport single = one.session.bisect("c00", "c32", pipehang_mode(), false);
	Pool p(3, [](FakeWorker &w) { w.fake().broken = {"c10"}; });
	BisectionReport r = p.bisect();
	ASSERT_FALSE(single.culprit.has_value());
	ASSERT_FALSE(r.culprit.has_value()) << r.error;
	auto ids = [](const std::vector<Commit> &cs) {
		std::set<std::string> s;
		for (const auto &c : cs)
			s.insert(c.id);
		return s;
	};
	EXPECT_EQ(ids(r.candidates), ids(single.candidates));
	EXPECT_EQ(ids(r.candidates), (std::set<std::string>{"c10", "c11"}));
}

TEST(BisectPool, AFailedWorkerGivesItsRevisionBackAndNeverAVerdict)
{
	// Worker 2's guests never give a verdict (QEMU killed under it).
	Pool p(2, [](FakeWorker &w) {
		if (w.name() == "worker 2")
			for (int i = 0; i < 33; i++)
				w.fake().errors.insert(fmt::format("c{:02}", i));
	});
	BisectionReport r = p.bisect();
	ASSERT_TRUE(r.completed) << r.error;
	ASSERT_TRUE(r.culprit.has_value());
	EXPECT_EQ(r.culprit->id, "c11");
	for (const auto &t : r.tested)
		EXPECT_NE(t.eval.verdict(), Verdict::error) << t.commit.id;
	EXPECT_TRUE(p.f.logged("[worker 2] failed on c"));
	EXPECT_TRUE(p.f.logged("goes back to the pool"));
	EXPECT_TRUE(p.f.logged("; this worker is retired"));
	// Retired after kRetireAfter failures: it tests nothing more.
	EXPECT_EQ(p.workers[1]->fake().tests, kRetireAfter);
}

TEST(BisectPool, ARevisionNoWorkerCouldTestIsAHarnessError)
{
	Pool p(2, [](FakeWorker &w) {
		for (int i = 0; i < 33; i++)
			w.fake().errors.insert(fmt::format("c{:02}", i));
	});
	// The ends are tested on the bisected tree's own oracle (fine here);
	// every round's revision fails on both workers.
	BisectionReport r = p.bisect();
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.harness_error);
	EXPECT_FALSE(r.culprit.has_value());
	EXPECT_NE(r.error.find("harness error while testing"), std::string::npos) << r.error;
	bool named = false;
	for (const auto &t : r.tested)
		named |= t.eval.test.reason.find("no worker could test it") != std::string::npos;
	EXPECT_TRUE(named);
}

TEST(BisectPool, BadBuildInputStopsAsUsageNotAWorkerFailure)
{
	Pool p(2, [](FakeWorker &w) {
		for (int i = 0; i < 33; i++)
			w.fake().refused.insert(fmt::format("c{:02}", i));
	});
	BisectionReport r = p.bisect();
	EXPECT_FALSE(r.completed);
	EXPECT_TRUE(r.usage_error) << r.error;
	EXPECT_FALSE(p.f.logged("goes back to the pool"));
}

TEST(BisectPool, TheWholeSessionGivesOneWorkersAnswers)
{
	// syzbot mode blames openat2 (c24), the false-culprit check fires,
	// the re-bisection in pipehang mode finds c11, both culprits confirmed
	// by their reverts: with one worker and with three.
	Fixture one;
	SessionReport single = one.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	Pool p(3);
	SessionReport pooled = p.f.session.run("c00", "c32", syzbot_mode(), pipehang_mode(), true);
	ASSERT_TRUE(single.first.culprit && single.rebisect && single.rebisect->culprit);
	ASSERT_TRUE(pooled.first.culprit && pooled.rebisect && pooled.rebisect->culprit);
	EXPECT_EQ(single.first.culprit->id, "c24");
	EXPECT_EQ(pooled.first.culprit->id, single.first.culprit->id);
	EXPECT_EQ(pooled.rebisect->culprit->id, single.rebisect->culprit->id);
	EXPECT_EQ(pooled.first.verification, single.first.verification);
	EXPECT_EQ(pooled.rebisect->verification, single.rebisect->verification);
	EXPECT_EQ(pooled.first.false_culprit.suspicious(), single.first.false_culprit.suspicious());
}
