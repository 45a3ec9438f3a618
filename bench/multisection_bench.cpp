// k-ary multisection on synthetic histories (issue 19's figures): for each
// history and k = 1, 3, 7, 15, a whole multisection (userspace/bisect/
// multisection.h) against git's rules on an in-memory history
// (tests/unit/engines/dag_engine.h), with a fake oracle whose costs come
// from measured figures: every revision tested is one build and one test,
// and a round of k revisions on k workers costs the slowest of them, i.e.
// one build plus one test. Prints, per k,
//   k=K rounds=R builds=B wall=W
// (rounds and builds: medians over the culprits; wall: rounds x (build +
// test) in minutes), and the rounds against k = 1. Figures only.
//
// Usage: multisection_bench [BUILD_S TEST_S]
//   BUILD_S  seconds to build one revision (default 33: an incremental
//            bisection step on the 2-core machine, docs/bisect.md)
//   TEST_S   seconds to judge one (default 40: a bad verdict, docs/bisect.md)
#include "bisect/multisection.h"
#include "engines/dag_engine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace pipehang::bisect;
using namespace pipehang::bisect::fakes;

namespace {

DagHistory linear(int n)
{
	DagHistory h;
	for (int i = 0; i < n; i++)
		h.add(i == 0 ? std::vector<int>{} : std::vector<int>{i - 1});
	return h;
}

// A mainline that merges a topic branch of `side` commits every few
// commits, as a maintainer tree does (about one commit in seven a merge).
DagHistory with_merges(int n, int side)
{
	DagHistory h;
	int tip = h.add({});
	while (static_cast<int>(h.commits.size()) < n - side - 3) {
		int branch = tip;
		for (int s = 0; s < side; s++)
			branch = h.add({branch});
		tip = h.add({tip});
		tip = h.add({tip});
		tip = h.add({tip, branch});
	}
	while (static_cast<int>(h.commits.size()) < n)
		tip = h.add({tip});
	return h;
}

struct Result {
	int rounds = 0, builds = 0;
	bool right = false;
};

Result run(const DagHistory &h, int culprit, int k)
{
	const int bad = static_cast<int>(h.commits.size()) - 1;
	auto engine = std::make_unique<DagEngine>(h);
	DagEngine *git = engine.get();
	Multisection m(
		std::move(engine), [git] { return git->candidates(); },
		[&h](const std::string &id) { return h.commits[h.index(id)]; }, k);
	Result r;
	Round round = m.start(h.commits[bad], h.commits[0]);
	while (round.kind == Round::Kind::test && r.rounds < 1000) {
		std::vector<std::pair<Commit, Verdict>> verdicts;
		for (const auto &c : round.next)
			verdicts.push_back({c, h.ancestors(h.index(c.id))[culprit] ? Verdict::bad : Verdict::good});
		r.rounds++;
		r.builds += static_cast<int>(verdicts.size());
		round = m.mark(verdicts);
	}
	r.right = round.kind == Round::Kind::found && round.culprit.id == h.commits[culprit].id;
	return r;
}

int median(std::vector<int> v)
{
	std::sort(v.begin(), v.end());
	return v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 1 && argc != 3) {
		std::fprintf(stderr, "usage: multisection_bench [BUILD_S TEST_S]\n");
		return 2;
	}
	const double build_s = argc == 3 ? std::atof(argv[1]) : 33, test_s = argc == 3 ? std::atof(argv[2]) : 40;
	if (build_s <= 0 || test_s <= 0) {
		std::fprintf(stderr, "multisection_bench: BUILD_S and TEST_S must be positive seconds\n");
		return 2;
	}
	std::printf("cost model: a revision = build %.0f s + test %.0f s; a round on k workers = one of each\n",
		    build_s, test_s);
	struct Shape {
		const char *name;
		DagHistory h;
	};
	std::vector<Shape> shapes;
	for (int n : {1000, 10000}) {
		shapes.push_back({n == 1000 ? "1,000 commits, linear" : "10,000 commits, linear", linear(n)});
		shapes.push_back({n == 1000 ? "1,000 commits, merges" : "10,000 commits, merges", with_merges(n, 4)});
	}
	for (const auto &s : shapes) {
		const int n = static_cast<int>(s.h.commits.size());
		// Five culprits spread over the range, the ends included.
		const std::vector<int> culprits = {1, n / 7, n / 2 + 3, (n * 5) / 6, n - 1};
		int merges = 0;
		for (const auto &p : s.h.parents)
			merges += p.size() > 1;
		std::printf("\n%s (%d merges), culprits at %d, %d, %d, %d, %d:\n", s.name, merges, culprits[0],
			    culprits[1], culprits[2], culprits[3], culprits[4]);
		int rounds_one = 0;
		for (int k : {1, 3, 7, 15}) {
			std::vector<int> rounds, builds;
			bool right = true;
			for (int c : culprits) {
				Result r = run(s.h, c, k);
				rounds.push_back(r.rounds);
				builds.push_back(r.builds);
				right = right && r.right;
			}
			const int R = median(rounds), B = median(builds);
			if (k == 1)
				rounds_one = R;
			std::printf("k=%d rounds=%d builds=%d wall=%.1fmin  (%.2fx the rounds of k=1%s)\n", k, R, B,
				    R * (build_s + test_s) / 60, double(R) / rounds_one,
				    right ? "" : "; A WRONG CULPRIT");
		}
	}
	return 0;
}
