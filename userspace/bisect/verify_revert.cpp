// Culprit verification: the bad end with the culprit reverted must be good.
// A merge is reverted against its first parent (-m 1). A revert that does
// not apply, or cannot be tested, leaves the culprit unverified, not wrong.
#include "bisect/phases.h"

#include <fmt/format.h>

namespace pipehang::bisect {

namespace {

void judge_revert(Bisection &b, const Commit &revert)
{
	BisectionReport &rep = b.rep;
	Evaluation ev = b.judge(revert, "revert check"); // not remembered: a revert is no revision of the history
	switch (ev.verdict()) {
	case Verdict::good:
		rep.verification = Verification::confirmed;
		rep.verification_detail = "with the culprit reverted the kernel is good";
		break;
	case Verdict::bad:
		rep.verification = Verification::not_confirmed;
		rep.verification_detail =
			fmt::format("with the culprit reverted the kernel still crashes ({})", ev.test.title);
		break;
	default:
		rep.verification = Verification::inconclusive;
		rep.verification_detail = fmt::format("the revert could not be tested ({})", ev.test.reason);
		break;
	}
}

} // namespace

void verify_by_revert(Bisection &b, const Commit &bad, const Commit &culprit, bool is_merge)
{
	BisectionReport &rep = b.rep;
	b.log(fmt::format("verifying the culprit: reverting {}{} on top of {}", short_id(culprit),
			  is_merge ? " (a merge: against its first parent, -m 1)" : "", short_id(bad)));
	auto revert = b.repo.revert_on(bad, culprit);
	if (!revert) {
		rep.verification = Verification::inconclusive;
		rep.verification_detail = "the revert does not apply cleanly on the bad commit";
	} else {
		judge_revert(b, *revert);
	}
	b.log(fmt::format("culprit verification: {}: {}", to_string(rep.verification), rep.verification_detail));
}

} // namespace pipehang::bisect
