// Where a bisection steps: one revision checked out, built into a kernel
// named by its signature, then either judged by the oracle or given the
// verdict an identical kernel (same signature, same config) already got.
// narrow() (narrow.cpp) walks the history with git's own engine
// and calls this for every revision it asks about.
#include "bisect/session.h"

#include <fmt/format.h>

#include <utility>

namespace pipehang::bisect {

Evaluation Session::evaluate(const Commit &c, const Mode &mode, BisectionReport &rep, const char *role)
{
	Evaluation ev = build_and_test(c, mode, rep);
	rep.tested.push_back({c, role, ev});
	if (on_step_)
		on_step_(rep, false);
	return ev;
}

Evaluation Session::build_and_test(const Commit &c, const Mode &mode, BisectionReport &rep)
{
	Evaluation ev;
	log_(fmt::format("testing commit {} {}", c.id, c.subject));
	repo_.checkout(c);
	ev.build = oracle_.build(c);
	rep.revisions_tested++;
	rep.build_seconds += ev.build.seconds;
	if (!ev.build.ok && ev.build.input_error) {
		// The build's input cannot give a kernel the oracle can judge (a
		// --config lacking virtio or ext4, a tree the build script
		// refuses): every revision would be skipped. That is the user's
		// input to fix, not a verdict.
		log_(fmt::format("bad input to the kernel build: {}", ev.build.error));
		input_error_ = ev.build.error;
		ev.test.verdict = Verdict::error;
		ev.test.reason = ev.build.error;
		return ev;
	}
	if (!ev.build.ok) {
		// A tree that does not build says nothing about the bug: skip.
		log_(fmt::format("kernel build failed: {}", ev.build.error));
		ev.test.verdict = Verdict::skip;
		ev.test.reason = "kernel build failed";
		return ev;
	}
	signatures_[c.id] = ev.build.signature;
	log_(ev.build.config_hash.empty() ? fmt::format("kernel signature: {}", ev.build.signature)
					  : fmt::format("kernel signature: {} (config {})", ev.build.signature,
							ev.build.config_hash.substr(0, 12)));

	// The config's hash is part of the key: one signature per config.
	auto key = std::make_pair(mode.name, ev.build.signature + "/" + ev.build.config_hash);
	if (auto it = verdicts_.find(key);
	    reuse_ && it != verdicts_.end() && it->second.test.verdict != Verdict::error) {
		ev.test = it->second.test;
		ev.test.seconds = 0;
		ev.reused = true;
		ev.reused_from = it->second.commit.id;
		rep.verdicts_reused++;
		log_(fmt::format("same kernel signature as {}: reusing its verdict ({}) without booting",
				 short_id(it->second.commit), to_string(ev.test.verdict)));
		for (const auto &l : ev.test.lines)
			log_(l);
		return ev;
	}
	ev.test = oracle_.test(c, mode);
	rep.test_seconds += ev.test.seconds;
	for (const auto &l : ev.test.lines)
		log_(l);
	if (ev.test.verdict == Verdict::skip && !ev.test.reason.empty())
		log_(fmt::format("skip: {}", ev.test.reason));
	if (ev.test.verdict == Verdict::error)
		log_(fmt::format("harness error: {}", ev.test.reason));
	if (ev.test.verdict != Verdict::error)
		verdicts_[key] = {c, ev.test};
	return ev;
}

std::string Session::signature_of(const Commit &c, BisectionReport &rep)
{
	if (auto it = signatures_.find(c.id); it != signatures_.end())
		return it->second;
	log_(fmt::format("building {} for its kernel signature", short_id(c)));
	repo_.checkout(c);
	BuildOutcome b = oracle_.build(c);
	rep.build_seconds += b.seconds;
	if (!b.ok)
		return {};
	signatures_[c.id] = b.signature;
	return b.signature;
}

} // namespace pipehang::bisect
