// A whole cause bisection: test both ends (searching back for a good
// revision when the good end is bad, good_end_search.h), bisect with the
// repository's engine (git's own for a real tree: any history, merges
// included), compare the culprit's kernel signature with its (first)
// parent's, verify the culprit by reverting it on the bad end (a merge
// against its first parent), explain a merge culprit (merge_culprit.h), run
// the false-culprit check and, when it fires, bisect again with the
// reproducer's fallback entry point. Git and the oracle are behind
// interfaces so unit tests replace them with fakes.
//
// Where a bisection step happens: Session::bisect, the loop around
// BisectEngine::mark in session.cpp.
#pragma once

#include "bisect/bisect_engine.h"
#include "bisect/bisector.h"
#include "bisect/false_culprit.h"
#include "bisect/good_end_search.h"
#include "bisect/merge_culprit.h"
#include "bisect/outcome.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pipehang::bisect {

// How the oracle judges: which reproducer entry point, and whether a kernel
// lacking it is "not tested" (pipehang) or "clean" (what syzbot did).
struct Mode {
	std::string name;           // "syzbot", "pipehang", "fallback"
	std::string description;    // one line for the log
	std::string entry = "auto"; // openat2 | openat | io_uring | auto
	bool fallback = true;       // reproducer may use another entry
	// syzbot's mistake, reproduced on purpose: a run whose entry point is
	// missing (ENOSYS) counts as a clean run instead of a skip.
	bool unavailable_entry_is_clean = false;
	std::vector<std::string> used_names; // syscalls/flags the reproducer uses
};

class Repo {
public:
	virtual ~Repo() = default;
	virtual Commit resolve(const std::string &rev) = 0;
	// `a` is a proper ancestor of `b` (there is something to bisect).
	virtual bool is_ancestor(const Commit &a, const Commit &b) = 0;
	// Parents, first parent first: two or more for a merge, none for a root.
	virtual std::vector<Commit> parents_of(const Commit &c) = 0;
	virtual void checkout(const Commit &c) = 0;
	// What the commit changes, as `commit <id>\n\n<message>` + diff
	// sections: one for a plain commit; for a merge, one per commit it
	// brings in (first parent..merge), not the merge's own, usually empty,
	// diff.
	virtual std::string patch(const Commit &c) = 0;
	// A new commit reverting `culprit` on top of `base` (a merge reverted
	// against its first parent); nullopt on conflict.
	virtual std::optional<Commit> revert_on(const Commit &base, const Commit &culprit) = 0;
	// A bisection engine for this history; throws when one cannot start
	// (e.g. the tree is already being bisected by someone else).
	virtual std::unique_ptr<BisectEngine> bisect_engine() = 0;
	// Every tag on a proper ancestor of `c` (c's own tags excluded), nearest
	// first in topological order (newest first), one entry per tag.
	virtual std::vector<TaggedCommit> tags_before(const Commit &c) = 0;
	// c~distance along first parents; the root (with its real distance)
	// when the history is shorter; nullopt when c has no parent.
	virtual std::optional<Ancestor> first_parent_ancestor(const Commit &c, int distance) = 0;
};

class Oracle {
public:
	virtual ~Oracle() = default;
	// Builds the checked-out tree (the commit is for messages only).
	virtual BuildOutcome build(const Commit &c) = 0;
	// Boots the kernel just built and judges it.
	virtual TestOutcome test(const Commit &c, const Mode &mode) = 0;
};

enum class Verification { not_run, confirmed, not_confirmed, inconclusive };
std::string_view to_string(Verification v);

// A commit as the logs name it: its first 12 hex digits.
std::string short_id(const Commit &c);

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
	int verdicts_reused = 0;  // tests saved by identical signatures
	double total_seconds = 0;
	double build_seconds = 0;
	double test_seconds = 0;
};

struct SessionReport {
	BisectionReport first;
	std::optional<BisectionReport> rebisect; // with the fallback entry point
};

class Session {
public:
	Session(Repo &repo, Oracle &oracle, LogFn log) : repo_(repo), oracle_(oracle), log_(std::move(log)) {}

	// One bisection in `mode`. `verify` reverts the culprit on `bad` and
	// tests it. An empty `good` searches back from `bad` for a good end.
	BisectionReport bisect(const std::string &good, const std::string &bad, const Mode &mode, bool verify);

	// The full job: bisect in `mode`; if the false-culprit check fires and
	// `mode` does not already fall back, bisect again in `fallback`.
	SessionReport run(const std::string &good, const std::string &bad, const Mode &mode,
			  const std::optional<Mode> &fallback, bool verify);

	// Reuse the verdict of an identical kernel signature (default). Off:
	// every revision is booted, e.g. to measure a flaky reproducer.
	void set_reuse_verdicts(bool on) { reuse_ = on; }

	// How far back to look when the good end is bad (default: 6 revisions,
	// release tags else all tags, then first parents).
	void set_good_end_search(SearchOptions o) { search_ = std::move(o); }

	// Called with the bisection so far after every revision evaluated
	// (done = false) and when a bisection ends (done = true): what
	// `--report` rewrites its page from, so an interrupted bisection
	// leaves a readable one.
	void set_on_step(std::function<void(const BisectionReport &, bool done)> fn) { on_step_ = std::move(fn); }

private:
	// Evaluates C, records it in rep.tested under ROLE, tells on_step_.
	Evaluation evaluate(const Commit &c, const Mode &mode, BisectionReport &rep, const char *role);
	Evaluation build_and_test(const Commit &c, const Mode &mode, BisectionReport &rep);
	std::string signature_of(const Commit &c, BisectionReport &rep);

	Repo &repo_;
	Oracle &oracle_;
	LogFn log_;
	std::function<void(const BisectionReport &, bool)> on_step_;
	bool reuse_ = true;
	SearchOptions search_;
	struct Cached {
		Commit commit;
		TestOutcome test;
	};
	// (mode name, kernel signature incl. the config hash) -> verdict
	// already obtained.
	std::map<std::pair<std::string, std::string>, Cached> verdicts_;
	std::string input_error_; // set once a build said its input (tree, config) is unusable
	// commit id -> signature, from every build made in this session.
	std::map<std::string, std::string> signatures_;
};

// Human summary lines of one bisection (also used by the demo and bench).
std::vector<std::string> summary_lines(const BisectionReport &r);

// One line on the good-end search ("good end X was bad: ...; found good:
// tag Y (...)"), empty when no search ran.
std::string search_summary(const BisectionReport &r);

} // namespace pipehang::bisect
