// A merge named as the first bad commit: gather its parents' verdicts from
// what the bisection judged, and let merge_culprit.h say why the merge is
// where the kernel went bad.
#include "bisect/phases.h"

#include "bisect/merge_culprit.h"

#include <fmt/format.h>

namespace pipehang::bisect {

namespace {

ParentVerdict parent_verdict(const Bisection &b, const Commit &p)
{
	ParentVerdict v;
	v.commit = p;
	auto it = b.seen.find(p.id);
	if (it == b.seen.end()) {
		// git only names a merge when everything else in the range was
		// found good or lies below a good revision.
		v.verdict = Verdict::good;
		return v;
	}
	v.tested = true;
	v.verdict = it->second.verdict();
	const TestOutcome &t = it->second.test;
	if (v.verdict == Verdict::good && t.entry_unavailable)
		v.detail =
			fmt::format("{} returned ENOSYS, counted clean in {} mode", t.unavailable_entry, b.mode.name);
	else
		v.detail = v.verdict == Verdict::bad ? t.title : t.reason;
	return v;
}

} // namespace

void explain_merge_culprit(Bisection &b, const Commit &merge, const std::vector<Commit> &parents,
			   const std::string &merge_patch)
{
	std::vector<ParentVerdict> pv;
	for (const auto &p : parents)
		pv.push_back(parent_verdict(b, p));
	b.rep.merge = explain_merge(merge, pv, merge_patch, b.mode.used_names, b.unavailable);
	for (const auto &l : b.rep.merge.explanation)
		b.log(fmt::format("merge culprit: {}", l));
}

} // namespace pipehang::bisect
