#include "oracle/decide.h"

#include <fmt/format.h>

#include <algorithm>

namespace pipehang::oracle {

std::string_view to_string(RunStatus s)
{
	switch (s) {
	case RunStatus::clean: return "clean";
	case RunStatus::target: return "target";
	case RunStatus::other_crash: return "other-crash";
	case RunStatus::not_exercised: return "not-exercised";
	case RunStatus::repro_failed: return "repro-failed";
	case RunStatus::lost: return "lost";
	}
	return "?";
}

Counts count(const std::vector<RunOutcome> &runs)
{
	Counts c;
	for (auto &r : runs) {
		c.total++;
		switch (r.status) {
		case RunStatus::clean: c.clean++; break;
		case RunStatus::target: c.target++; break;
		case RunStatus::other_crash: c.other_crash++; break;
		case RunStatus::not_exercised: c.not_exercised++; break;
		case RunStatus::repro_failed: c.repro_failed++; break;
		case RunStatus::lost: c.lost++; break;
		}
	}
	return c;
}

namespace {

const RunOutcome *first_with(const std::vector<RunOutcome> &runs, RunStatus s)
{
	auto it = std::find_if(runs.begin(), runs.end(), [s](const RunOutcome &r) { return r.status == s; });
	return it == runs.end() ? nullptr : &*it;
}

Decision final(Verdict v, std::string reason, double confidence, const Counts &c)
{
	Decision d;
	d.final = true;
	d.verdict = v;
	d.reason = std::move(reason);
	d.confidence = confidence;
	d.counts = c;
	return d;
}

double share(int part, int whole)
{
	return whole > 0 ? double(part) / whole : 0.0;
}

} // namespace

Decision decide(const Evidence &ev, const Policy &policy)
{
	Counts c = count(ev.runs);
	if (!ev.booted)
		return final(Verdict::skip, "boot failed: " + (ev.boot_failure.empty() ? "no output" : ev.boot_failure),
			     1.0, c);
	if (policy.require_module && !ev.module_loaded)
		return final(Verdict::skip, "pipewatch.ko not loaded: " + ev.module_error, 1.0, c);
	if (!ev.setup_failure.empty())
		return final(Verdict::skip, "guest setup failed: " + ev.setup_failure, 1.0, c);

	if (c.target > 0) {
		const RunOutcome *hit = nullptr;
		for (auto &r : ev.runs)
			if (r.status == RunStatus::target && (!hit || (hit->corrupted && !r.corrupted)))
				hit = &r;
		return final(Verdict::bad, fmt::format("crashed: {} ({} of {} runs)", hit->title, c.target, c.total),
			     hit->corrupted ? 0.9 : 1.0, c);
	}
	if (c.other_crash > 0) {
		auto *r = first_with(ev.runs, RunStatus::other_crash);
		auto v = policy.other_crash == OtherCrash::bad ? Verdict::bad : Verdict::skip;
		return final(
			v, fmt::format("crashed: {} (not the target; {} of {} runs)", r->title, c.other_crash, c.total),
			share(c.other_crash, c.total), c);
	}

	int finished = c.total - c.lost;
	if (finished > 0 && c.not_exercised == finished) {
		auto *r = first_with(ev.runs, RunStatus::not_exercised);
		return final(Verdict::skip,
			     fmt::format("reproducer did not exercise the path: {} ({} of {} runs)", r->detail,
					 c.not_exercised, c.total),
			     share(c.not_exercised, c.total), c);
	}
	if (finished > 0 && c.repro_failed == finished) {
		auto *r = first_with(ev.runs, RunStatus::repro_failed);
		return final(Verdict::skip,
			     fmt::format("reproducer failed: {} ({} of {} runs)", r->detail, c.repro_failed, c.total),
			     share(c.repro_failed, c.total), c);
	}

	bool disagree = c.clean > 0 && (c.not_exercised + c.repro_failed + c.lost) > 0;
	if (c.clean >= policy.runs && !disagree)
		return final(Verdict::good, fmt::format("all runs: OK ({} runs)", c.total), share(c.clean, c.total), c);

	int budget = std::max(policy.max_runs, policy.runs) - c.total;
	if (budget > 0) {
		Decision d;
		d.final = false;
		d.counts = c;
		// Disagreement: go to the full budget (10 -> 20). Otherwise just
		// make up the missing runs.
		d.more_runs = disagree || c.lost > 0 ? budget : std::min(budget, policy.runs - c.clean);
		if (d.more_runs <= 0)
			d.more_runs = budget;
		d.reason = disagree ? fmt::format("runs disagree ({} clean of {}): running {} more", c.clean, c.total,
						  d.more_runs)
				    : fmt::format("{} of {} runs finished: running {} more", finished, c.total,
						  d.more_runs);
		return d;
	}
	// The run limit is reached and runs still disagree. Good needs every
	// run to have exercised the path: a run that did not is exactly how
	// syzbot's reproducer went silent, so enough clean runs beside it are
	// still no proof. The extra runs were a chance to catch the target.
	if (c.clean >= policy.runs)
		return final(
			Verdict::skip,
			fmt::format("runs disagree at the limit of {} runs: {} clean, {} not exercised, {} failed, "
				    "{} lost; good needs every run to exercise the path",
				    c.total, c.clean, c.not_exercised, c.repro_failed, c.lost),
			share(c.total - c.clean, c.total), c);
	std::string why;
	if (c.lost > 0) {
		auto *r = first_with(ev.runs, RunStatus::lost);
		why = fmt::format("; {} runs lost ({})", c.lost, r->detail);
	}
	return final(Verdict::skip,
		     fmt::format("only {} of {} runs exercised the path cleanly (needed {}){}", c.clean, c.total,
				 policy.runs, why),
		     share(c.total - c.clean, c.total), c);
}

std::string run_line(const RunOutcome &run)
{
	switch (run.status) {
	case RunStatus::clean: return fmt::format("run #{}: OK", run.index);
	case RunStatus::target:
	case RunStatus::other_crash:
		return fmt::format("run #{}: crashed: {}{}{}", run.index, run.title,
				   run.corrupted ? " (corrupted report)" : "",
				   run.holder.empty() ? "" : " [holder " + run.holder + "]");
	case RunStatus::not_exercised: return fmt::format("run #{}: not exercised: {}", run.index, run.detail);
	case RunStatus::repro_failed: return fmt::format("run #{}: reproducer failed: {}", run.index, run.detail);
	case RunStatus::lost: return fmt::format("run #{}: lost: {}", run.index, run.detail);
	}
	return "";
}

} // namespace pipehang::oracle
