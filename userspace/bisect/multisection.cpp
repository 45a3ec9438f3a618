#include "bisect/multisection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace pipehang::bisect {

int estimate_rounds(int left, int k)
{
	if (left <= 0)
		return 0;
	return static_cast<int>(std::ceil(std::log(left + 1.0) / std::log(k + 1.0) - 1e-9));
}

Multisection::Multisection(std::unique_ptr<BisectEngine> engine, CandidateSource candidates,
			   std::function<Commit(const std::string &)> commit_of, int k)
    : engine_(std::move(engine)), candidates_(std::move(candidates)), commit_of_(std::move(commit_of)), k_(k)
{
	if (k_ < 1)
		throw std::invalid_argument("a multisection tests at least one revision per round");
}

Round Multisection::start(const Commit &bad, const Commit &good)
{
	return plan(engine_->start(bad, good));
}

Round Multisection::mark(const std::vector<std::pair<Commit, Verdict>> &verdicts)
{
	auto order = [&](const std::pair<Commit, Verdict> &v) {
		return v.second == Verdict::skip ? 0 : v.second == Verdict::good ? 1 : 2;
	};
	auto weight = [&](const Commit &c) {
		auto it = weight_.find(c.id);
		return it == weight_.end() ? 0 : it->second;
	};
	std::vector<std::pair<Commit, Verdict>> sorted;
	std::vector<std::pair<Commit, Commit>> contradicted;
	for (const auto &[c, v] : verdicts) {
		const Commit *bad_ancestor = nullptr;
		for (const auto &[d, w] : verdicts)
			if (v == Verdict::good && w == Verdict::bad && descends_from(c.id, d.id))
				bad_ancestor = &d;
		if (bad_ancestor)
			contradicted.emplace_back(c, *bad_ancestor);
		else
			sorted.emplace_back(c, v);
	}
	std::stable_sort(sorted.begin(), sorted.end(), [&](const auto &a, const auto &b) {
		if (order(a) != order(b))
			return order(a) < order(b);
		return order(a) == 2 && weight(a.first) > weight(b.first);
	});
	if (sorted.empty())
		throw std::invalid_argument("a round ends with at least one verdict");
	BisectStep answer;
	for (const auto &[c, v] : sorted) {
		if (v == Verdict::skip)
			skipped_.insert(c.id);
		answer = engine_->mark(c, v);
	}
	Round r = plan(answer);
	r.contradicted = std::move(contradicted);
	return r;
}

bool Multisection::descends_from(const std::string &a, const std::string &b) const
{
	std::vector<std::string> todo = {a};
	std::set<std::string> seen;
	while (!todo.empty()) {
		std::string c = todo.back();
		todo.pop_back();
		auto it = parents_.find(c);
		if (it == parents_.end())
			continue; // outside the candidates: good already
		for (const auto &p : it->second) {
			if (p == b)
				return true;
			if (seen.insert(p).second)
				todo.push_back(p);
		}
	}
	return false;
}

Round Multisection::plan(const BisectStep &answer)
{
	Round r;
	if (answer.kind != BisectStep::Kind::next) {
		r.kind = answer.kind == BisectStep::Kind::found ? Round::Kind::found : Round::Kind::ambiguous;
		r.culprit = answer.culprit;
		r.candidates = answer.candidates;
		return r;
	}
	rounds_++;
	// git wants the merge base of a good and the bad end tested first: its
	// answer decides whether the range makes sense at all.
	std::vector<Candidate> cands =
		answer.progress.find("merge base") == std::string::npos ? candidates_() : std::vector<Candidate>{};
	std::vector<std::size_t> picks = plan_round(cands, skipped_, k_);
	if (picks.empty()) {
		r.next = {answer.next};
		r.progress = answer.progress;
		return r;
	}
	std::vector<int> weights = candidate_weights(cands);
	weight_.clear();
	parents_.clear();
	for (std::size_t i = 0; i < cands.size(); i++) {
		weight_[cands[i].id] = weights[i];
		parents_[cands[i].id] = cands[i].parents;
	}
	for (std::size_t i : picks)
		r.next.push_back(commit_of_(cands[i].id));
	int left = static_cast<int>(cands.size()) - 1; // the bad end is known
	r.progress = fmt::format("Multisecting: {} revisions left, testing {} this round (roughly {} rounds)", left,
				 r.next.size(), estimate_rounds(left, k_));
	return r;
}

} // namespace pipehang::bisect
