// The seams of the bisect room: the types every part of userspace/bisect/
// speaks in, and the interfaces behind which git and the kernel oracle sit
// (unit tests replace them with fakes, tests/unit/bisect_fakes.h). Every
// other header here includes this one and none of them includes another
// module's header for these types, so no two modules include each other.
//
//   Commit, LogFn            what a revision is called; where log lines go
//   Mode                     how the oracle judges (entry point, syzbot's rule)
//   BuildOutcome, TestOutcome, Evaluation
//                            what one tested revision produced
//   BisectStep, BisectEngine who picks the next revision (git's engine)
//   Repo, Oracle             the history, and build + judge
#pragma once

#include "oracle/verdict.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

// The oracle's verdict type (contract 4): a revision is good, bad, skip, or
// error when the harness failed on it.
using oracle::Verdict;

struct Commit {
	std::string id;
	std::string subject;
};

using LogFn = std::function<void(std::string_view line)>;

// A tag and the commit it points at (annotated tags peeled).
struct TaggedCommit {
	std::string tag;
	Commit commit;
};

// A first-parent ancestor and its real distance: shorter than asked when
// the history ends first (then `commit` is the root).
struct Ancestor {
	Commit commit;
	int distance = 0;
};

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

// What one tested revision produced: the verdict the oracle gave, the kernel
// signature it was built into, and the evidence lines to print.
struct BuildOutcome {
	bool ok = false;
	std::string signature; // hash of the executed kernel code; empty if !ok
	std::string error;     // why the build failed (for the skip reason)
	double seconds = 0;
	// Bad input, never a skip of every revision: the build script refused
	// its input (usage, e.g. a tree that is not a kernel tree) or the
	// configuration lacks what the oracle needs (e.g. a --config with
	// virtio-blk as a module).
	bool input_error = false;
	// Hash of the configuration input (--config, fragments); part of the
	// verdict-reuse key next to the signature.
	std::string config_hash;
};

struct TestOutcome {
	Verdict verdict = Verdict::error;
	std::string title;              // crash title when bad
	std::string reason;             // why skip / error
	std::vector<std::string> lines; // syzbot-style run lines ("run #0: OK", ...)
	// The reproducer's entry point was missing on this kernel (e.g. openat2
	// returned ENOSYS) -- the run says nothing about the splice path.
	bool entry_unavailable = false;
	std::string unavailable_entry; // which entry, e.g. "openat2"
	double seconds = 0;
};

// Everything known about one revision once it has been handled.
struct Evaluation {
	BuildOutcome build;
	TestOutcome test;
	bool reused = false;     // verdict taken from an identical signature
	std::string reused_from; // the commit whose verdict was reused
	Verdict verdict() const
	{
		if (!build.ok)
			return build.input_error ? Verdict::error : Verdict::skip;
		return test.verdict;
	}
};

// One bisection step at a time: who picks the next revision to test. For a
// real tree that is git's own engine (git_bisect.h: `git bisect start /
// good / bad / skip`), which handles any history, merges included; the
// session only judges the revisions it is handed. The unit tests' fake
// history uses a linear engine (tests/unit/engines/) behind the same
// interface.
struct BisectStep {
	enum class Kind {
		next,      // test `next`
		found,     // `culprit` is the first bad commit
		ambiguous, // only skipped revisions left: `candidates`
	};
	Kind kind = Kind::next;
	Commit next;
	// git's own progress line, e.g. "Bisecting: 3 revisions left to test
	// after this (roughly 2 steps)"; logged as is.
	std::string progress;
	Commit culprit;
	std::vector<Commit> candidates;
};

// One revision git still considers, as `git rev-list --bisect-all
// --parents` prints it: its parents (those outside the candidates are
// already good, and ignored) and git's distance (min(ancestors, the rest)
// among the candidates: larger is a better single bisection point).
struct Candidate {
	std::string id;
	std::vector<std::string> parents;
	int dist = 0;
};

class BisectEngine {
public:
	virtual ~BisectEngine() = default; // ends the bisection (git bisect reset)
	// Starts with one known-bad and one known-good revision.
	virtual BisectStep start(const Commit &bad, const Commit &good) = 0;
	// Records the verdict (good, bad or skip) of a revision it considers
	// (the one last handed out, or any candidate in a multisection).
	virtual BisectStep mark(const Commit &c, Verdict v) = 0;
	// What it still considers, for a multisection's plan (multisect.h);
	// empty when it cannot list them: a multisection then tests the
	// engine's own pick, one revision per round.
	virtual std::vector<Candidate> candidates() { return {}; }
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

// A commit as the logs name it: its first 12 hex digits.
std::string short_id(const Commit &c);

} // namespace pipehang::bisect
