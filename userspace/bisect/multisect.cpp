#include "bisect/multisect.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>

namespace pipehang::bisect {

std::vector<Candidate> parse_bisect_all(std::string_view out)
{
	static const std::regex sha_re("^[0-9a-f]{40}$");
	static const std::regex dist_re(R"(dist=([0-9]+)\))");
	std::vector<Candidate> cands;
	std::istringstream in{std::string(out)};
	for (std::string line; std::getline(in, line);) {
		std::smatch m;
		if (!std::regex_search(line, m, dist_re))
			continue;
		Candidate c;
		c.dist = std::stoi(m[1].str());
		std::istringstream words(line.substr(0, line.find('(')));
		for (std::string w; words >> w;) {
			if (!std::regex_match(w, sha_re))
				break;
			if (c.id.empty())
				c.id = w;
			else
				c.parents.push_back(w);
		}
		if (!c.id.empty())
			cands.push_back(std::move(c));
	}
	return cands;
}

std::vector<int> candidate_weights(const std::vector<Candidate> &candidates)
{
	// Ancestor sets as bitsets, filled parents first (a topological order
	// over the candidates: git's --bisect-all order is by distance).
	const std::size_t n = candidates.size();
	const std::size_t words = (n + 63) / 64;
	std::map<std::string, std::size_t> index;
	for (std::size_t i = 0; i < n; i++)
		index[candidates[i].id] = i;
	std::vector<std::vector<std::size_t>> parents(n);
	std::vector<std::vector<std::size_t>> children(n);
	std::vector<int> pending(n, 0);
	for (std::size_t i = 0; i < n; i++)
		for (const auto &p : candidates[i].parents)
			if (auto it = index.find(p); it != index.end()) {
				parents[i].push_back(it->second);
				children[it->second].push_back(i);
				pending[i]++;
			}
	std::vector<std::vector<std::uint64_t>> anc(n, std::vector<std::uint64_t>(words, 0));
	std::vector<std::size_t> ready;
	for (std::size_t i = 0; i < n; i++)
		if (pending[i] == 0)
			ready.push_back(i);
	while (!ready.empty()) {
		std::size_t i = ready.back();
		ready.pop_back();
		anc[i][i / 64] |= std::uint64_t{1} << (i % 64);
		for (std::size_t p : parents[i])
			for (std::size_t w = 0; w < words; w++)
				anc[i][w] |= anc[p][w];
		for (std::size_t c : children[i])
			if (--pending[c] == 0)
				ready.push_back(c);
	}
	std::vector<int> weight(n, 0);
	for (std::size_t i = 0; i < n; i++)
		for (auto w : anc[i])
			weight[i] += __builtin_popcountll(w);
	return weight;
}

std::vector<std::size_t> plan_round(const std::vector<Candidate> &candidates, const std::set<std::string> &skipped,
				    int k)
{
	const std::vector<int> weight = candidate_weights(candidates);
	const int n = static_cast<int>(candidates.size());
	std::vector<bool> taken(candidates.size(), false);
	for (std::size_t i = 0; i < candidates.size(); i++)
		// The bad end (everything is its ancestor) is known bad.
		taken[i] = weight[i] == n || skipped.count(candidates[i].id) > 0;
	std::vector<std::size_t> picked;
	for (int j = 1; j <= k; j++) {
		// The target weight, doubled to stay in integers: 2*j*n/(k+1).
		const long target2 = 2L * j * n / (k + 1);
		std::size_t best = candidates.size();
		long best_off = 0;
		for (std::size_t i = 0; i < candidates.size(); i++) {
			if (taken[i])
				continue;
			long off = std::labs(2L * weight[i] - target2);
			// Ties: git's order (best single point first).
			if (best == candidates.size() || off < best_off) {
				best = i;
				best_off = off;
			}
		}
		if (best == candidates.size())
			break;
		taken[best] = true;
		picked.push_back(best);
	}
	std::sort(picked.begin(), picked.end(), [&](auto a, auto b) { return weight[a] < weight[b]; });
	return picked;
}

} // namespace pipehang::bisect
