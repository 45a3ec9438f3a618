// Where a bisection step happens: the engine (git's, for a real tree) picks
// a revision, we judge it and tell the engine. The log copies git's own
// lines (`# git bisect ...`, "Bisecting: N revisions left ...") the way
// syzbot's bisection logs show them.
#include "bisect/phases.h"

#include <fmt/format.h>

namespace pipehang::bisect {

BisectStep narrow(Bisection &b, const Commit &good, const Commit &bad)
{
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
		step = engine->mark(step.next, ev.verdict());
	}
	return step; // the engine goes: the tree's bisect state is cleared before any revert
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
