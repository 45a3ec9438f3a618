// Where a bisection steps: one revision checked out, built into a kernel
// named by its signature, then either judged by the oracle or given the
// verdict an identical kernel (same signature, same config) already got.
// narrow() (narrow.cpp) walks the history with git's own engine and calls
// this for every revision it asks about; with a pool of workers
// evaluate_round() (round.cpp) calls it on each worker's thread, so what
// the workers share is touched under mu_ only.
#include "bisect/session.h"

#include <fmt/format.h>

#include <utility>

namespace pipehang::bisect {

Evaluation Session::evaluate(const Commit &c, const Mode &mode, BisectionReport &rep, const char *role)
{
	Place here{[this](const Commit &x) { repo_.checkout(x); }, oracle_, log_};
	Evaluation ev = build_and_test(here, c, mode, rep);
	rep.tested.push_back({c, role, ev});
	if (on_step_)
		on_step_(rep, false);
	return ev;
}

Evaluation Session::build_and_test(Place &at, const Commit &c, const Mode &mode, BisectionReport &rep)
{
	Evaluation ev;
	at.log(fmt::format("testing commit {} {}", c.id, c.subject));
	at.checkout(c);
	ev.build = at.oracle.build(c);
	{
		std::lock_guard lk(mu_);
		rep.revisions_tested++;
		rep.build_seconds += ev.build.seconds;
		if (!ev.build.ok && ev.build.input_error)
			input_error_ = ev.build.error;
		if (ev.build.ok)
			signatures_[c.id] = ev.build.signature;
	}
	if (!ev.build.ok && ev.build.input_error) {
		// The build's input cannot give a kernel the oracle can judge (a
		// --config lacking virtio or ext4, a tree the build script
		// refuses): every revision would be skipped. That is the user's
		// input to fix, not a verdict.
		at.log(fmt::format("bad input to the kernel build: {}", ev.build.error));
		ev.test.verdict = Verdict::error;
		ev.test.reason = ev.build.error;
		return ev;
	}
	if (!ev.build.ok) {
		// A tree that does not build says nothing about the bug: skip.
		at.log(fmt::format("kernel build failed: {}", ev.build.error));
		ev.test.verdict = Verdict::skip;
		ev.test.reason = "kernel build failed";
		return ev;
	}
	at.log(ev.build.config_hash.empty() ? fmt::format("kernel signature: {}", ev.build.signature)
					    : fmt::format("kernel signature: {} (config {})", ev.build.signature,
							  ev.build.config_hash.substr(0, 12)));
	if (auto reused = reused_verdict(at, mode, ev, rep))
		return *reused;
	ev.test = at.oracle.test(c, mode);
	for (const auto &l : ev.test.lines)
		at.log(l);
	if (ev.test.verdict == Verdict::skip && !ev.test.reason.empty())
		at.log(fmt::format("skip: {}", ev.test.reason));
	if (ev.test.verdict == Verdict::error)
		at.log(fmt::format("harness error: {}", ev.test.reason));
	std::lock_guard lk(mu_);
	rep.test_seconds += ev.test.seconds;
	if (ev.test.verdict != Verdict::error)
		verdicts_[{mode.name, ev.build.signature + "/" + ev.build.config_hash}] = {c, ev.test};
	return ev;
}

// The verdict an identical kernel already got, when reuse is on. The
// config's hash is part of the key: one signature per config.
std::optional<Evaluation> Session::reused_verdict(Place &at, const Mode &mode, Evaluation &ev, BisectionReport &rep)
{
	std::unique_lock lk(mu_);
	auto it = verdicts_.find({mode.name, ev.build.signature + "/" + ev.build.config_hash});
	if (!reuse_ || it == verdicts_.end() || it->second.test.verdict == Verdict::error)
		return std::nullopt;
	ev.test = it->second.test;
	ev.test.seconds = 0;
	ev.reused = true;
	ev.reused_from = it->second.commit.id;
	rep.verdicts_reused++;
	const Commit from = it->second.commit;
	lk.unlock();
	at.log(fmt::format("same kernel signature as {}: reusing its verdict ({}) without booting", short_id(from),
			   to_string(ev.test.verdict)));
	for (const auto &l : ev.test.lines)
		at.log(l);
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
