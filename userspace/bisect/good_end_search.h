// The good-end search: when the revision given as good turns out to be bad,
// the bug is older than the range and bisecting it would blame the wrong
// commit (syzbot's "good" v5.5 was bad; the culprit lay before it). We look
// further back for a revision that is really good, the way syzbot finds a
// range: release tags reachable from the good end, newest first; without
// tags, first-parent ancestors at distance 1, 2, 4, 8, ... The search tests
// at most a bounded number of revisions; a revision that cannot be judged
// (skip) is stepped over, never taken as good.
#pragma once

#include "bisect/seams.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pipehang::bisect {

struct SearchOptions {
	// Revisions the search may test (builds, skips included); 0 turns the
	// search off: a bad good end stops the bisection, as before.
	int max_revisions = 6;
	// fnmatch(3) pattern on tag names. Empty: kernel release tags
	// (vX.Y, vX.Y.Z) when any is reachable, else every tag.
	std::string tag_pattern;
};

enum class FoundBy { tag, first_parent };
std::string_view to_string(FoundBy f); // "tag", "first-parent"

struct SearchedRevision {
	Commit commit;
	FoundBy found_by = FoundBy::tag;
	std::string tag; // found_by == tag: the tag name(s), ", "-joined
	// found_by == first_parent: how far back, and from where ("replay-v5.5~4")
	int distance = 0;
	std::string label;
	Verdict verdict = Verdict::error;
	std::string reason; // why skip / error, or the crash title when bad
	// "tag replay-latent (c0ffee123456 subject)", "replay-v5.5~4 (c0ffee123456 subject)"
	std::string describe() const;
};

struct GoodEndSearch {
	bool ran = false;
	std::string from;                      // the revision the search started at (given good, or bad)
	int limit = 0;                         // SearchOptions::max_revisions
	std::string tag_pattern;               // the pattern actually used ("" when no tag matched)
	std::vector<SearchedRevision> tried;   // every revision tested, in order
	std::optional<SearchedRevision> found; // the good one (also the last of `tried`)
	bool harness_error = false;            // stopped by an oracle error
	std::string stopped;                   // found | bound reached | no older revision | harness error
};

// Tags reachable from the search start that match `pattern`, as the search
// will try them: one entry per commit (names joined), newest first. An
// empty pattern means release tags if any, else all; `used` gets the
// pattern applied ("" for "all tags").
std::vector<TaggedCommit> pick_tags(const std::vector<TaggedCommit> &reachable, const std::string &pattern,
				    std::string &used);

// Runs the search from `start` (a commit already known bad, not tested
// again; `start_name` is how the user named it). `why` opens the log line
// that announces the search. `judge` builds and tests one revision and logs
// its own lines.
GoodEndSearch search_good_end(Repo &repo, const Commit &start, const std::string &start_name, const std::string &why,
			      const SearchOptions &opt, const std::function<Evaluation(const Commit &)> &judge,
			      const LogFn &log);

} // namespace pipehang::bisect
