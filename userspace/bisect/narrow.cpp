// Where a bisection step happens: the engine (git's, for a real tree) picks
// a revision, we judge it and tell the engine. The log copies git's own
// lines (`# git bisect ...`, "Bisecting: N revisions left ...") the way
// syzbot's bisection logs show them.
#include "bisect/multisection.h"
#include "bisect/phases.h"

#include <fmt/format.h>

namespace pipehang::bisect {

BisectStep narrow(Bisection &b, const Commit &good, const Commit &bad)
{
	if (b.workers > 1)
		return narrow_in_rounds(b, good, bad);
	b.log(fmt::format("# git bisect start {} {}", bad.id, good.id));
	auto engine = b.repo.bisect_engine();
	BisectStep step = engine->start(bad, good);
	while (step.kind == BisectStep::Kind::next) {
		b.log(step.progress);
		b.log(fmt::format("[{}] {}", step.next.id, step.next.subject));
		Evaluation ev = b.test(step.next, "bisect");
		if (ev.verdict() == Verdict::error)
			throw Stopped(fmt::format("harness error while testing {}", step.next.id), true);
		b.log(fmt::format("# git bisect {} {}", to_string(ev.verdict()), step.next.id));
		b.rep.rounds++;
		step = engine->mark(step.next, ev.verdict());
	}
	return step; // the engine goes: the tree's bisect state is cleared before any revert
}

BisectStep narrow_in_rounds(Bisection &b, const Commit &good, const Commit &bad)
{
	b.log(fmt::format("# git bisect start {} {}", bad.id, good.id));
	auto engine = b.repo.bisect_engine();
	BisectEngine *git = engine.get();
	Multisection m(
		std::move(engine), [git] { return git->candidates(); },
		[&b](const std::string &id) { return b.repo.resolve(id); }, b.workers);
	Round r = m.start(bad, good);
	while (r.kind == Round::Kind::test) {
		b.log(r.progress);
		for (const auto &c : r.next)
			b.log(fmt::format("[{}] {}", c.id, c.subject));
		std::vector<Evaluation> evs = b.test_round(r.next, "bisect");
		std::vector<std::pair<Commit, Verdict>> verdicts;
		for (std::size_t i = 0; i < r.next.size(); i++) {
			Verdict v = i < evs.size() ? evs[i].verdict() : Verdict::error;
			if (v == Verdict::error)
				throw Stopped(fmt::format("harness error while testing {}", r.next[i].id), true);
			verdicts.emplace_back(r.next[i], v);
		}
		for (const auto &[c, v] : verdicts)
			b.log(fmt::format("# git bisect {} {}", to_string(v), c.id));
		b.rep.rounds++;
		r = m.mark(verdicts);
		for (const auto &[good_one, bad_ancestor] : r.contradicted)
			b.log(fmt::format(
				"contradicting verdicts in one round: {} is good but its ancestor {} is bad (a "
				"flaky reproducer?): the good one is not told to git",
				short_id(good_one), short_id(bad_ancestor)));
	}
	BisectStep step;
	step.kind = r.kind == Round::Kind::found ? BisectStep::Kind::found : BisectStep::Kind::ambiguous;
	step.culprit = r.culprit;
	step.candidates = r.candidates;
	return step; // the engine goes with m
}

void report_candidates(Bisection &b, const BisectStep &step)
{
	b.log("There are only 'skip'ped commits left to test.");
	b.log("The first bad commit could be any of:");
	for (const auto &c : step.candidates)
		b.log(c.id);
	b.log("We cannot bisect more!");
	b.rep.candidates = step.candidates;
}

} // namespace pipehang::bisect
