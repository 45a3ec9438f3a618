// Where a round's revisions are handed out to the pool (pool.h): one
// thread per worker takes the next revision not yet tested, checks it out
// in its own tree, builds and judges it. A worker whose oracle fails gives
// the revision back for another worker and sits the round out; the
// round's evaluations are then recorded in the order of the plan, so the
// report does not depend on which worker was faster.
#include "bisect/session.h"

#include <fmt/format.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <thread>

namespace pipehang::bisect {

namespace {

// A harness failure of the worker, not an answer about the kernel: its
// oracle gave error (a build's bad input is the user's, and stops the
// bisection as it would with one worker).
bool worker_failed(const Evaluation &ev)
{
	return ev.verdict() == Verdict::error && !ev.build.input_error;
}

} // namespace

// One round in flight: what the workers' threads share, under `queue`.
struct Session::RoundState {
	const std::vector<Commit> &commits;
	const Mode &mode;
	BisectionReport &rep;
	std::deque<std::size_t> todo;                // indexes into commits, not yet tested
	std::vector<std::optional<Evaluation>> done; // by index
	std::vector<std::string> failures;           // by index: the last worker failure
	int in_flight = 0;                           // revisions a worker is testing now
	std::mutex queue;
	std::condition_variable changed; // todo or in_flight changed
};

// Worker W's thread: takes revisions until none is left, or until it fails.
void Session::work_round(std::size_t w, RoundState &st)
{
	Worker &worker = *workers_[w];
	const std::string who = worker.name();
	Place there{[&worker](const Commit &c) { worker.checkout(c); }, worker.oracle(),
		    [this, who](std::string_view line) {
			    std::lock_guard lk(mu_);
			    log_(fmt::format("[{}] {}", who, line));
		    }};
	for (;;) {
		std::size_t i;
		{
			// A revision in flight on another worker may come back.
			std::unique_lock lk(st.queue);
			st.changed.wait(lk, [&] { return !st.todo.empty() || st.in_flight == 0; });
			if (st.todo.empty())
				return;
			i = st.todo.front();
			st.todo.pop_front();
			st.in_flight++;
		}
		std::string failure;
		Evaluation ev;
		try {
			ev = build_and_test(there, st.commits[i], st.mode, st.rep);
			if (worker_failed(ev))
				failure = ev.test.reason.empty() ? "harness error" : ev.test.reason;
		} catch (const std::exception &e) {
			failure = e.what();
		}
		std::lock_guard lk(st.queue);
		st.in_flight--;
		st.changed.notify_all();
		if (failure.empty()) {
			st.done[i] = std::move(ev);
			continue;
		}
		// Never a verdict: the revision goes back for another worker.
		const std::string id = short_id(st.commits[i]);
		st.failures[i] = fmt::format("{}: {}", who, failure);
		worker_failures_[w]++;
		there.log(fmt::format("failed on {} ({}): {} goes back to the pool{}", id, failure, id,
				      worker_failures_[w] >= kRetireAfter ? "; this worker is retired" : ""));
		st.todo.push_back(i);
		return; // sits the rest of the round out
	}
}

std::vector<Evaluation> Session::evaluate_round(const std::vector<Commit> &commits, const Mode &mode,
						BisectionReport &rep, const char *role)
{
	std::vector<Evaluation> out;
	if (workers_.size() < 2 || commits.size() < 2) {
		for (const auto &c : commits)
			out.push_back(evaluate(c, mode, rep, role));
		return out;
	}
	worker_failures_.resize(workers_.size(), 0);
	RoundState st{commits,
		      mode,
		      rep,
		      {},
		      std::vector<std::optional<Evaluation>>(commits.size()),
		      std::vector<std::string>(commits.size()),
		      {}};
	for (std::size_t i = 0; i < commits.size(); i++)
		st.todo.push_back(i);
	std::vector<std::thread> threads;
	for (std::size_t w = 0; w < workers_.size(); w++)
		if (worker_failures_[w] < kRetireAfter)
			threads.emplace_back([this, w, &st] { work_round(w, st); });
	for (auto &t : threads)
		t.join();
	for (std::size_t i = 0; i < commits.size(); i++) {
		if (!st.done[i]) {
			// Every worker failed or was retired before it: a harness
			// error, as one failed worker is without a pool.
			Evaluation ev;
			ev.build.ok = true;
			ev.test.verdict = Verdict::error;
			ev.test.reason = fmt::format("no worker could test it (last: {})",
						     st.failures[i].empty() ? "every worker retired" : st.failures[i]);
			st.done[i] = ev;
		}
		rep.tested.push_back({commits[i], role, *st.done[i]});
		out.push_back(*st.done[i]);
		if (on_step_)
			on_step_(rep, false);
	}
	return out;
}

} // namespace pipehang::bisect
