// What one bisection found, and a whole session (with the re-bisection):
// the report every phase fills in (phases.h), printed in words
// (report_text.h) and as JSON (report_json.h).
#pragma once

#include "bisect/false_culprit.h"
#include "bisect/good_end_search.h"
#include "bisect/merge_culprit.h"
#include "bisect/seams.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

enum class Verification { not_run, confirmed, not_confirmed, inconclusive };
std::string_view to_string(Verification v);

// One revision as a bisection handled it, in the order handled: the
// report's table and history drawing are made from these.
struct TestedRevision {
	Commit commit;
	// Why it was tested: "bad end", "good end", "search back", "bisect",
	// "revert check".
	std::string role;
	Evaluation eval;
};

struct BisectionReport {
	Mode mode;
	std::vector<TestedRevision> tested; // every revision evaluated, in order
	bool completed = false;             // false: aborted, see error
	std::string error;
	bool harness_error = false; // aborted by a harness error (exit error)
	bool usage_error = false;   // aborted by bad input, e.g. a --config lacking what the oracle needs
	std::string given_good;     // as the user named them; good may be empty
	std::string given_bad;
	bool good_end_was_bad = false; // the given good end crashed: bug older than the range
	GoodEndSearch search;          // search.ran: the good end was bad or not given
	std::optional<Commit> good;    // the good end bisected from (given or found)
	std::optional<Commit> culprit;
	std::vector<Commit> candidates; // when skips left several
	std::string culprit_signature;
	std::string parent_signature;
	bool same_signature_as_parent = false;
	Verification verification = Verification::not_run;
	std::string verification_detail;
	FalseCulpritFindings false_culprit;
	MergeCulprit merge;       // merge.is_merge: the culprit is a merge
	int revisions_tested = 0; // builds made for this bisection
	int workers = 1;          // revisions tested per round of the narrowing (pool.h)
	int rounds = 0;           // rounds of the narrowing (with one worker: its steps)
	int verdicts_reused = 0;  // tests saved by identical signatures
	double total_seconds = 0;
	double build_seconds = 0;
	double test_seconds = 0;
};

struct SessionReport {
	BisectionReport first;
	std::optional<BisectionReport> rebisect; // with the fallback entry point
};

} // namespace pipehang::bisect
