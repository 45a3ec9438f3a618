// k-ary multisection: K revisions tested per round instead of one, chosen
// evenly over what git still considers (`git rev-list --bisect-all`, any
// history, merges included). With K workers a round costs about one build
// and one test, and each round cuts the candidates to about 1/(K+1):
// log(K+1)(N) rounds instead of log2(N). git keeps the state: every verdict
// goes back as `git bisect good|bad|skip`, and git names the first bad
// commit.
//
// This file is the planner, pure: which K of the candidates to test. The
// rounds themselves (git told every verdict, git naming the culprit) are
// multisection.h.
#pragma once

#include "bisect/seams.h"

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

// Parses `git rev-list --bisect-all --parents ...` output:
// "<id> <parent>... (dist=N)" or "<id> <parent>... (HEAD -> x, dist=N)".
// Lines it cannot read are left out.
std::vector<Candidate> parse_bisect_all(std::string_view out);

// For every candidate, how many candidates are it or its ancestors (its
// "weight" in git's terms): the bad end's is all of them.
std::vector<int> candidate_weights(const std::vector<Candidate> &candidates);

// Up to `k` candidates to test this round, as indexes into `candidates`,
// spread evenly: the ones whose weights are nearest j*N/(k+1), j = 1..k,
// where N is the number of candidates. Never the bad end (the candidate
// every other is an ancestor of), never a skipped one, never one twice.
// For k = 1 that is the candidate nearest the middle, as git picks it.
// Empty when nothing is left to test.
std::vector<std::size_t> plan_round(const std::vector<Candidate> &candidates, const std::set<std::string> &skipped,
				    int k);

} // namespace pipehang::bisect
