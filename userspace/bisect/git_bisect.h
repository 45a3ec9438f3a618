// git's own bisection engine driving a pipehang bisection: `git bisect
// start --no-checkout BAD GOOD`, then `git bisect good|bad|skip REV` for
// each verdict; git picks the next revision (in BISECT_HEAD: --no-checkout
// leaves the checkout to the session, which also builds reverts and
// parents) and prints its "Bisecting: N revisions left to test after this
// (roughly K steps)" line. git handles any history -- merges, several
// roots, skips -- exactly as `git bisect run` would.
//
// The tree's own bisect state is left as found: a bisection already in
// progress is refused (GitError, nothing touched), and ours is ended with
// `git bisect reset` when the engine is destroyed (--no-checkout: the reset
// does not move HEAD; the caller restores it).
#pragma once

#include "bisect/multisect.h"
#include "bisect/seams.h"

#include <filesystem>
#include <functional>
#include <string>

namespace pipehang::bisect {

class GitBisect : public BisectEngine {
public:
	// Throws GitError when a bisection is already in progress in `dir`.
	explicit GitBisect(std::filesystem::path dir);
	~GitBisect() override;
	BisectStep start(const Commit &bad, const Commit &good) override;
	BisectStep mark(const Commit &c, Verdict v) override;

	// What git still considers between the bisect refs (the bad end and
	// every good), for a multisection's plan (multisection.h): `git
	// rev-list --bisect-all --parents refs/bisect/bad --not
	// --glob=refs/bisect/good-*`. Skipped revisions are among them.
	std::vector<Candidate> candidates() override;

	// True when `dir` has a git bisection in progress (BISECT_START exists).
	static bool in_progress(const std::filesystem::path &dir);

private:
	BisectStep run(const std::vector<std::string> &args);
	std::filesystem::path dir_;
	bool started_ = false;
};

// Reads one `git bisect` answer (stdout and stderr together). Exposed for
// the unit tests. `commit_of` names commits; `bisect_head` is git's choice
// of the next revision. Throws GitError on an answer it does not know.
BisectStep parse_bisect_output(const std::string &out, const std::function<Commit(const std::string &)> &commit_of,
			       const std::function<std::string()> &bisect_head);

} // namespace pipehang::bisect
