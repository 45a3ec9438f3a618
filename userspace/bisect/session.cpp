#include "bisect/session.h"

#include "bisect/duration.h"
#include "bisect/range_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <set>

namespace pipehang::bisect {

std::string_view to_string(Verification v)
{
	switch (v) {
	case Verification::not_run: return "not run";
	case Verification::confirmed: return "confirmed";
	case Verification::not_confirmed: return "NOT confirmed";
	case Verification::inconclusive: return "inconclusive";
	}
	return "inconclusive";
}

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string tried_list(const GoodEndSearch &s)
{
	std::string out;
	for (const auto &r : s.tried)
		out += fmt::format("{}{}: {}", out.empty() ? "" : ", ",
				   r.found_by == FoundBy::tag ? "tag " + r.tag : r.label, to_string(r.verdict));
	return out.empty() ? "nothing" : out;
}

// Not finding a good revision is an answer, not a failure: the bug is
// older than everything tried. Say what was tried and what to do next.
std::string no_good_found_message(const BisectionReport &r)
{
	const auto &s = r.search;
	std::string head =
		r.good_end_was_bad
			? fmt::format("the good end {} is bad and no good revision was found before it", r.given_good)
			: fmt::format("no good end given and no good revision was found before {}", r.given_bad);
	std::string why = s.stopped == "bound reached"
				  ? fmt::format("the search tested its limit of {} revision(s)", s.limit)
				  : std::string("no older revision is left to try");
	return fmt::format("{} ({}; tried: {}): the bug is older than every revision tried; give an older --good "
			   "or a larger --search-back",
			   head, why, tried_list(s));
}

} // namespace

BisectionReport Session::bisect(const std::string &good_rev, const std::string &bad_rev, const Mode &mode, bool verify)
{
	BisectionReport rep;
	rep.mode = mode;
	rep.given_good = good_rev;
	rep.given_bad = bad_rev;
	rep.search.limit = search_.max_revisions; // the bound in force, even if no search runs
	auto t0 = std::chrono::steady_clock::now();
	auto finish = [&](BisectionReport &r) -> BisectionReport {
		r.total_seconds = seconds_since(t0);
		if (on_step_)
			on_step_(r, true);
		return r;
	};
	auto abort = [&](std::string why, bool harness) -> BisectionReport {
		rep.error = std::move(why);
		rep.harness_error = harness;
		if (harness && !input_error_.empty()) {
			// Not the harness: the user's tree or configuration (exit
			// usage, not error).
			rep.error = "bad input to the kernel build: " + input_error_;
			rep.harness_error = false;
			rep.usage_error = true;
		}
		log_(fmt::format("bisection aborted: {}", rep.error));
		return finish(rep);
	};

	std::optional<Commit> given_good;
	Commit bad;
	std::string range;
	try {
		if (!good_rev.empty())
			given_good = repo_.resolve(good_rev);
		bad = repo_.resolve(bad_rev);
		if (given_good)
			range = range_problem(repo_, good_rev, *given_good, bad_rev, bad);
	} catch (const std::exception &e) {
		return abort(e.what(), true);
	}
	if (!range.empty()) {
		// The user's range, not an answer about the kernel: usage.
		rep.usage_error = true;
		return abort(range, false);
	}
	if (!given_good && search_.max_revisions <= 0) {
		rep.usage_error = true;
		return abort("no good end given and the good-end search is off: nothing to bisect from", false);
	}

	log_(fmt::format("bisecting cause commit starting from {} ({} mode: {})", bad.id, mode.name, mode.description));
	log_(given_good ? fmt::format("given: good {} ({}), bad {} ({})", good_rev, short_id(*given_good), bad_rev,
				      short_id(bad))
			: fmt::format("given: no good end, bad {} ({})", bad_rev, short_id(bad)));
	// Remembered per commit for the false-culprit check and the parent
	// signature; the bisector only needs the verdicts.
	std::map<std::string, Evaluation> seen;
	int good_unavailable = 0;
	std::vector<std::string> unavailable;
	auto note = [&](const Commit &c, const Evaluation &ev) {
		seen[c.id] = ev;
		if (ev.verdict() == Verdict::good && ev.test.entry_unavailable) {
			good_unavailable++;
			std::string e = ev.test.unavailable_entry.empty() ? mode.entry : ev.test.unavailable_entry;
			if (std::find(unavailable.begin(), unavailable.end(), e) == unavailable.end())
				unavailable.push_back(e);
		}
	};

	try {
		Evaluation bad_ev = evaluate(bad, mode, rep, "bad end");
		note(bad, bad_ev);
		if (bad_ev.verdict() == Verdict::error)
			return abort(fmt::format("harness error on the bad commit: {}", bad_ev.test.reason), true);
		if (bad_ev.verdict() != Verdict::bad)
			return abort(fmt::format("the bad commit {} is not bad ({}{}): nothing to bisect",
						 short_id(bad), to_string(bad_ev.verdict()),
						 bad_ev.test.reason.empty() ? "" : ": " + bad_ev.test.reason),
				     false);
		if (given_good) {
			Evaluation good_ev = evaluate(*given_good, mode, rep, "good end");
			note(*given_good, good_ev);
			switch (good_ev.verdict()) {
			case Verdict::error:
				return abort(fmt::format("harness error on the good commit: {}", good_ev.test.reason),
					     true);
			case Verdict::bad:
				if (search_.max_revisions <= 0)
					return abort(
						fmt::format(
							"the good commit {} already crashes ({}): nothing to bisect",
							short_id(*given_good), good_ev.test.title),
						false);
				rep.good_end_was_bad = true;
				break;
			case Verdict::skip:
				log_(fmt::format(
					"warning: the good commit {} could not be tested ({}); assuming it is good",
					short_id(*given_good), good_ev.test.reason));
				break;
			case Verdict::good: break;
			}
		}

		Commit good;
		if (given_good && !rep.good_end_was_bad) {
			good = *given_good;
		} else {
			std::string why =
				given_good ? fmt::format("good end {} is bad: the bug is older than the given range",
							 good_rev)
					   : std::string("no good end given");
			rep.search = search_good_end(
				repo_, given_good ? *given_good : bad, given_good ? good_rev : bad_rev, why, search_,
				[&](const Commit &c) {
					Evaluation ev = evaluate(c, mode, rep, "search back");
					note(c, ev);
					return ev;
				},
				log_);
			if (rep.search.harness_error)
				return abort(fmt::format("harness error while searching for a good end: {}",
							 rep.search.tried.back().reason),
					     true);
			if (!rep.search.found)
				return abort(no_good_found_message(rep), false);
			good = rep.search.found->commit;
			if (!repo_.is_ancestor(good, bad))
				return abort(fmt::format("the good revision found, {}, is not an ancestor of {}",
							 short_id(good), bad_rev),
					     false);
		}
		rep.good = good;

		// The tightest known bad end: the oldest revision the search found
		// bad (the search walks back, so the last one) that still has the
		// good end as an ancestor; else the given bad end.
		Commit bisect_bad = bad;
		std::vector<Commit> known_bad;
		if (rep.good_end_was_bad)
			known_bad.push_back(*given_good);
		for (const auto &r : rep.search.tried)
			if (r.verdict == Verdict::bad)
				known_bad.push_back(r.commit);
		for (auto it = known_bad.rbegin(); it != known_bad.rend(); ++it)
			if (repo_.is_ancestor(good, *it)) {
				bisect_bad = *it;
				break;
			}

		// Where a bisection step happens: the engine (git's, for a real
		// tree) picks a revision, we judge it and tell the engine.
		log_(fmt::format("# git bisect start {} {}", bisect_bad.id, good.id));
		auto engine = repo_.bisect_engine();
		BisectStep step = engine->start(bisect_bad, good);
		while (step.kind == BisectStep::Kind::next) {
			log_(step.progress);
			log_(fmt::format("[{}] {}", step.next.id, step.next.subject));
			Evaluation ev = evaluate(step.next, mode, rep, "bisect");
			note(step.next, ev);
			if (ev.verdict() == Verdict::error)
				return abort(fmt::format("harness error while testing {}", step.next.id), true);
			log_(fmt::format("# git bisect {} {}", to_string(ev.verdict()), step.next.id));
			step = engine->mark(step.next, ev.verdict());
		}
		engine.reset(); // the tree's bisect state is cleared before any revert
		rep.completed = true;
		if (step.kind == BisectStep::Kind::ambiguous) {
			log_("There are only 'skip'ped commits left to test.");
			log_("The first bad commit could be any of:");
			for (const auto &c : step.candidates)
				log_(c.id);
			log_("We cannot bisect more!");
			rep.candidates = step.candidates;
			return finish(rep);
		}

		const Commit culprit = step.culprit;
		log_(fmt::format("{} is the first bad commit", culprit.id));
		rep.culprit = culprit;
		std::vector<Commit> parents = repo_.parents_of(culprit);
		// A merge's own change is relative to its first parent (mainline).
		const Commit parent = parents.empty() ? good : parents.front();
		rep.culprit_signature = signature_of(culprit, rep);
		rep.parent_signature = signature_of(parent, rep);
		rep.same_signature_as_parent =
			!rep.culprit_signature.empty() && rep.culprit_signature == rep.parent_signature;
		log_(fmt::format("culprit signature: {}", rep.culprit_signature));
		log_(fmt::format("parent  signature: {}", rep.parent_signature));
		if (rep.same_signature_as_parent)
			log_("Reproducer flagged being flaky: the culprit and its parent build the same kernel code, "
			     "so the culprit cannot have changed the kernel's behaviour");

		if (verify) {
			log_(fmt::format("verifying the culprit: reverting {}{} on top of {}", short_id(culprit),
					 parents.size() > 1 ? " (a merge: against its first parent, -m 1)" : "",
					 short_id(bad)));
			auto revert = repo_.revert_on(bad, culprit);
			if (!revert) {
				rep.verification = Verification::inconclusive;
				rep.verification_detail = "the revert does not apply cleanly on the bad commit";
			} else {
				Evaluation rev_ev = evaluate(*revert, mode, rep, "revert check");
				switch (rev_ev.verdict()) {
				case Verdict::good:
					rep.verification = Verification::confirmed;
					rep.verification_detail = "with the culprit reverted the kernel is good";
					break;
				case Verdict::bad:
					rep.verification = Verification::not_confirmed;
					rep.verification_detail =
						fmt::format("with the culprit reverted the kernel still crashes ({})",
							    rev_ev.test.title);
					break;
				default:
					rep.verification = Verification::inconclusive;
					rep.verification_detail =
						fmt::format("the revert could not be tested ({})", rev_ev.test.reason);
					break;
				}
			}
			log_(fmt::format("culprit verification: {}: {}", to_string(rep.verification),
					 rep.verification_detail));
		}

		const std::string culprit_patch = repo_.patch(culprit);
		if (parents.size() > 1) {
			std::vector<ParentVerdict> pv;
			for (const auto &p : parents) {
				ParentVerdict v;
				v.commit = p;
				if (auto it = seen.find(p.id); it != seen.end()) {
					v.tested = true;
					v.verdict = it->second.verdict();
					const TestOutcome &t = it->second.test;
					if (v.verdict == Verdict::good && t.entry_unavailable)
						v.detail = fmt::format("{} returned ENOSYS, counted clean in {} mode",
								       t.unavailable_entry, mode.name);
					else
						v.detail = v.verdict == Verdict::bad ? t.title : t.reason;
				} else {
					// git only names a merge when everything else in the
					// range was found good or lies below a good revision.
					v.verdict = Verdict::good;
				}
				pv.push_back(v);
			}
			rep.merge = explain_merge(culprit, pv, culprit_patch, mode.used_names, unavailable);
			for (const auto &l : rep.merge.explanation)
				log_(fmt::format("merge culprit: {}", l));
		}

		FalseCulpritInput fc;
		fc.culprit_patch = culprit_patch;
		fc.culprit_is_merge = parents.size() > 1;
		fc.used_names = mode.used_names;
		fc.unavailable_on_good_side = unavailable;
		fc.good_revisions_with_unavailable_entry = good_unavailable;
		rep.false_culprit = check_false_culprit(fc);
		for (const auto &r : rep.false_culprit.reasons)
			log_(fmt::format("false-culprit check: {}", r));
	} catch (const std::exception &e) {
		return abort(e.what(), true);
	}
	return finish(rep);
}

SessionReport Session::run(const std::string &good, const std::string &bad, const Mode &mode,
			   const std::optional<Mode> &fallback, bool verify)
{
	SessionReport out;
	out.first = bisect(good, bad, mode, verify);
	for (const auto &l : summary_lines(out.first))
		log_(l);
	if (out.first.completed && out.first.false_culprit.suspicious() && !mode.fallback && fallback) {
		log_(fmt::format("the culprit may be false: bisecting again in {} mode ({})", fallback->name,
				 fallback->description));
		out.rebisect = bisect(good, bad, *fallback, verify);
		for (const auto &l : summary_lines(*out.rebisect))
			log_(l);
	}
	return out;
}

std::string search_summary(const BisectionReport &r)
{
	if (!r.search.ran)
		return {};
	std::string start =
		r.good_end_was_bad
			? fmt::format("good end {} was bad: the bug is older than the given range", r.given_good)
			: std::string("no good end given");
	if (r.search.found)
		return fmt::format("{}; found good: {} ({} revision(s) searched back)", start,
				   r.search.found->describe(), r.search.tried.size());
	return fmt::format("{}; no good revision found ({} revision(s) searched back: {})", start,
			   r.search.tried.size(), tried_list(r.search));
}

std::vector<std::string> summary_lines(const BisectionReport &r)
{
	std::vector<std::string> out;
	out.push_back(fmt::format("=== {} mode: {}", r.mode.name, r.mode.description));
	if (auto l = search_summary(r); !l.empty())
		out.push_back(l);
	if (!r.completed) {
		out.push_back(fmt::format("bisection failed: {}", r.error));
	} else if (r.culprit) {
		out.push_back(fmt::format("first bad commit: {} {}", r.culprit->id, r.culprit->subject));
		for (const auto &l : r.merge.explanation)
			out.push_back(l);
		if (r.same_signature_as_parent)
			out.push_back("note: the culprit and its parent have the same kernel signature");
		out.push_back(fmt::format("culprit verification: {}{}", to_string(r.verification),
					  r.verification_detail.empty() ? "" : " (" + r.verification_detail + ")"));
		if (r.false_culprit.suspicious())
			out.push_back(fmt::format("WARNING: possibly a false culprit ({} finding(s))",
						  r.false_culprit.reasons.size()));
	} else {
		out.push_back(fmt::format("the first bad commit could be any of {} commits:", r.candidates.size()));
		for (const auto &c : r.candidates)
			out.push_back(fmt::format("  {} {}", c.id, c.subject));
	}
	out.push_back(fmt::format("revisions tested: {}, verdicts reused: {}, total time: {} (build: {}, test: {})",
				  r.revisions_tested, r.verdicts_reused, format_duration(r.total_seconds),
				  format_duration(r.build_seconds), format_duration(r.test_seconds)));
	return out;
}

} // namespace pipehang::bisect
