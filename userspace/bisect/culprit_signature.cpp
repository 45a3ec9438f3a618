// The culprit's kernel signature against its parent's: a culprit that
// builds the same code as its parent cannot have changed the kernel's
// behaviour, so the bisection followed a flaky reproducer.
#include "bisect/phases.h"

#include <fmt/format.h>

namespace pipehang::bisect {

void compare_signatures(Bisection &b, const Commit &culprit, const Commit &parent)
{
	BisectionReport &rep = b.rep;
	rep.culprit_signature = b.signature_of(culprit);
	rep.parent_signature = b.signature_of(parent);
	rep.same_signature_as_parent = !rep.culprit_signature.empty() && rep.culprit_signature == rep.parent_signature;
	b.log(fmt::format("culprit signature: {}", rep.culprit_signature));
	b.log(fmt::format("parent  signature: {}", rep.parent_signature));
	if (rep.same_signature_as_parent)
		b.log("Reproducer flagged being flaky: the culprit and its parent build the same kernel code, "
		      "so the culprit cannot have changed the kernel's behaviour");
}

} // namespace pipehang::bisect
