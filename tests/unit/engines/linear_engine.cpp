#include "engines/linear_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

namespace pipehang::bisect {

BisectStep LinearEngine::start(const Commit &bad, const Commit &good)
{
	long g = -1, b = -1;
	for (std::size_t i = 0; i < history_.size(); i++) {
		if (history_[i].id == good.id)
			g = static_cast<long>(i);
		if (history_[i].id == bad.id)
			b = static_cast<long>(i);
	}
	if (g < 0 || b <= g)
		throw std::runtime_error("linear engine: " + good.id + " is not before " + bad.id);
	range_.assign(history_.begin() + g + 1, history_.begin() + b + 1);
	lo_ = -1;
	hi_ = static_cast<long>(range_.size()) - 1;
	skipped_.assign(range_.size(), false);
	return step();
}

BisectStep LinearEngine::mark(const Commit &c, Verdict v)
{
	long i = 0;
	while (i < static_cast<long>(range_.size()) && range_[i].id != c.id)
		i++;
	if (i == static_cast<long>(range_.size()))
		throw std::runtime_error("linear engine: " + c.id + " is not in the range");
	if (v == Verdict::good)
		lo_ = std::max(lo_, i);
	else if (v == Verdict::bad)
		hi_ = std::min(hi_, i);
	else
		skipped_[i] = true;
	return step();
}

std::vector<Candidate> LinearEngine::candidates()
{
	std::vector<Candidate> out;
	for (long i = hi_; i > lo_; i--) {
		Candidate c{range_[i].id, {}, 0};
		if (i > 0)
			c.parents.push_back(range_[i - 1].id);
		out.push_back(c);
	}
	return out;
}

BisectStep LinearEngine::step()
{
	std::set<std::size_t> skipped;
	for (std::size_t i = 0; i < skipped_.size(); i++)
		if (skipped_[i])
			skipped.insert(i);
	BisectStep s;
	auto next = pick_midpoint(lo_, hi_, skipped);
	if (!next) {
		if (hi_ - lo_ == 1) {
			s.kind = BisectStep::Kind::found;
			s.culprit = range_[hi_];
		} else {
			s.kind = BisectStep::Kind::ambiguous;
			for (long i = lo_ + 1; i <= hi_; i++)
				s.candidates.push_back(range_[i]);
		}
		return s;
	}
	int all = 0, reaches = 0;
	for (long i = lo_ + 1; i <= hi_; i++)
		all += !skipped.count(static_cast<std::size_t>(i));
	for (long i = lo_ + 1; i <= static_cast<long>(*next); i++)
		reaches += !skipped.count(static_cast<std::size_t>(i));
	int left = std::max(0, std::max(all - reaches - 1, reaches - 1));
	int steps = estimate_steps(all);
	s.kind = BisectStep::Kind::next;
	s.next = range_[*next];
	s.progress = fmt::format("Bisecting: {} revision{} left to test after this (roughly {} step{})", left,
				 left == 1 ? "" : "s", steps, steps == 1 ? "" : "s");
	return s;
}

} // namespace pipehang::bisect
