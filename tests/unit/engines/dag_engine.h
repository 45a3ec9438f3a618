// git's bisection on an in-memory history with merges, for the
// multisection tests: the candidates are the bad end's ancestors that are
// no good revision's ancestors (what `git rev-list --bisect-all` lists),
// the next revision the one nearest the middle, skips stepped around, and
// "could be any of" when only skipped ones are left -- git's rules, no git.
#pragma once

#include "bisect/multisect.h"
#include "bisect/seams.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace pipehang::bisect::fakes {

struct DagHistory {
	std::vector<Commit> commits;
	std::vector<std::vector<int>> parents; // indexes, first parent first

	int add(std::vector<int> ps)
	{
		int i = static_cast<int>(commits.size());
		commits.push_back({fmt::format("m{:05}", i), fmt::format("change {}", i)});
		parents.push_back(std::move(ps));
		return i;
	}
	int index(const std::string &id) const { return std::stoi(id.substr(1)); }
	// i and everything below it.
	std::vector<bool> ancestors(int i) const
	{
		std::vector<bool> seen(commits.size(), false);
		std::vector<int> todo = {i};
		while (!todo.empty()) {
			int c = todo.back();
			todo.pop_back();
			if (seen[c])
				continue;
			seen[c] = true;
			for (int p : parents[c])
				todo.push_back(p);
		}
		return seen;
	}
};

class DagEngine : public BisectEngine {
public:
	explicit DagEngine(const DagHistory &h) : h_(h) {}
	BisectStep start(const Commit &bad, const Commit &good) override
	{
		bad_ = h_.index(bad.id);
		goods_ = {h_.index(good.id)};
		return step();
	}
	BisectStep mark(const Commit &c, Verdict v) override
	{
		marks++;
		int i = h_.index(c.id);
		if (v == Verdict::good)
			goods_.insert(i);
		else if (v == Verdict::bad)
			bad_ = i;
		else
			skipped_.insert(c.id);
		return step();
	}
	std::vector<Candidate> candidates() override { return list(); }
	std::vector<Candidate> list() const
	{
		std::vector<bool> in = h_.ancestors(bad_);
		for (int g : goods_) {
			std::vector<bool> below = h_.ancestors(g);
			for (std::size_t i = 0; i < in.size(); i++)
				if (below[i])
					in[i] = false;
		}
		std::vector<Candidate> out;
		for (int i = static_cast<int>(in.size()) - 1; i >= 0; i--)
			if (in[i]) {
				Candidate c{h_.commits[i].id, {}, 0};
				for (int p : h_.parents[i])
					c.parents.push_back(h_.commits[p].id);
				out.push_back(c);
			}
		return out;
	}
	int marks = 0;

private:
	BisectStep step() const
	{
		BisectStep s;
		std::vector<Candidate> cands = list();
		auto next = plan_round(cands, skipped_, 1);
		if (cands.size() == 1) {
			s.kind = BisectStep::Kind::found;
			s.culprit = h_.commits[bad_];
		} else if (next.empty()) {
			s.kind = BisectStep::Kind::ambiguous;
			for (const auto &c : cands)
				s.candidates.push_back(h_.commits[h_.index(c.id)]);
		} else {
			s.next = h_.commits[h_.index(cands[next[0]].id)];
			s.progress = fmt::format("Bisecting: {} revisions left to test after this", cands.size() / 2);
		}
		return s;
	}
	const DagHistory &h_;
	int bad_ = 0;
	std::set<int> goods_;
	std::set<std::string> skipped_;
};

} // namespace pipehang::bisect::fakes
