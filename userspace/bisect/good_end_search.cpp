#include "bisect/good_end_search.h"

#include "bisect/seams.h"

#include <fmt/format.h>

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace pipehang::bisect {

std::string_view to_string(FoundBy f)
{
	return f == FoundBy::tag ? "tag" : "first-parent";
}

std::string SearchedRevision::describe() const
{
	std::string where = fmt::format("{} {}", commit.id.substr(0, 12), commit.subject);
	if (found_by == FoundBy::tag)
		return fmt::format("tag {} ({})", tag, where);
	return fmt::format("{} ({})", label, where);
}

namespace {

// What syzbot calls release tags: v5.5, v5.4.12 -- not -rc tags, which are
// a week apart and would spend the whole bound on one release cycle.
bool is_release_tag(const std::string &name)
{
	static const std::regex re(R"(^v[0-9]+\.[0-9]+(\.[0-9]+)?$)");
	return std::regex_match(name, re);
}

const char *const kReleaseTags = "release tags (vX.Y, vX.Y.Z)";

} // namespace

std::vector<TaggedCommit> pick_tags(const std::vector<TaggedCommit> &reachable, const std::string &pattern,
				    std::string &used)
{
	std::vector<TaggedCommit> matching;
	if (pattern.empty()) {
		for (const auto &t : reachable)
			if (is_release_tag(t.tag))
				matching.push_back(t);
		// A history without kernel release tags (a fixture, a vendor
		// tree): any tag marks a point someone cared to name.
		used = matching.empty() ? "*" : kReleaseTags;
		if (matching.empty())
			matching = reachable;
	} else {
		used = pattern;
		for (const auto &t : reachable)
			if (fnmatch(pattern.c_str(), t.tag.c_str(), 0) == 0)
				matching.push_back(t);
	}
	// One candidate per commit: two tags on one kernel are one test.
	std::vector<TaggedCommit> out;
	std::map<std::string, std::size_t> at;
	for (const auto &t : matching) {
		if (auto it = at.find(t.commit.id); it != at.end()) {
			out[it->second].tag += ", " + t.tag;
			continue;
		}
		at[t.commit.id] = out.size();
		out.push_back(t);
	}
	return out;
}

namespace {

// Says how the search will look back: which tags, or first parents.
void announce(const std::vector<TaggedCommit> &tags, const std::string &used, const std::string &why,
	      const std::string &start_name, const SearchOptions &opt, const LogFn &log)
{
	std::string which = "tags matching '" + used + "'";
	if (used == "*")
		which = "tags";
	else if (used == kReleaseTags)
		which = "release tags";
	if (tags.empty())
		log(fmt::format("{}; searching back (no {} before {}: first-parent ancestors at distance 1, 2, 4, ..., "
				"up to {} revisions)",
				why, opt.tag_pattern.empty() ? "tags" : which, start_name, opt.max_revisions));
	else
		log(fmt::format("{}; searching back ({}, up to {} revisions)", why, which, opt.max_revisions));
}

// One search in progress: what it tested, and the result it builds.
struct Search {
	GoodEndSearch &s;
	const std::function<Evaluation(const Commit &)> &judge;
	const LogFn &log;
	std::set<std::string> tested;

	// Tests one candidate; true when the search is over (good found, or the
	// oracle cannot judge at all).
	bool try_one(SearchedRevision r)
	{
		tested.insert(r.commit.id);
		Evaluation ev = judge(r.commit);
		r.verdict = ev.verdict();
		if (!ev.build.ok)
			r.reason = "kernel build failed";
		else if (r.verdict == Verdict::bad)
			r.reason = ev.test.title;
		else if (r.verdict != Verdict::good)
			r.reason = ev.test.reason;
		s.tried.push_back(r);
		log(fmt::format("search {}/{}: {}: {}{}", s.tried.size(), s.limit, r.describe(), to_string(r.verdict),
				r.reason.empty() ? "" : " (" + r.reason + ")"));
		if (r.verdict == Verdict::good) {
			s.found = r;
			s.stopped = "found";
			log(fmt::format("found good: {}", r.describe()));
			return true;
		}
		if (r.verdict == Verdict::error) {
			s.harness_error = true;
			s.stopped = "harness error";
			return true;
		}
		return false; // bad: look further back; skip: step over it
	}

	bool bound_reached()
	{
		if (static_cast<int>(s.tried.size()) < s.limit)
			return false;
		s.stopped = "bound reached";
		return true;
	}

	// The tags, newest first; true when the search is over. `base` and
	// `base_name` end at the last tag tried.
	bool by_tags(const std::vector<TaggedCommit> &tags, Commit &base, std::string &base_name)
	{
		for (const auto &t : tags) {
			if (bound_reached())
				return true;
			SearchedRevision r;
			r.commit = t.commit;
			r.found_by = FoundBy::tag;
			r.tag = t.tag;
			if (try_one(r))
				return true;
			base = t.commit;
			base_name = t.tag.substr(0, t.tag.find(','));
		}
		if (!tags.empty())
			log(fmt::format("no tag tested good: first-parent ancestors of {} at distance 1, 2, 4, ...",
					base_name));
		return false;
	}

	// Exponential back-off: the culprit is rarely far, but when it is the
	// distance doubles so a few builds reach far back.
	void by_first_parents(Repo &repo, const Commit &base, const std::string &base_name)
	{
		for (int d = 1;; d *= 2) {
			if (bound_reached())
				return;
			auto a = repo.first_parent_ancestor(base, d);
			if (!a || (a->distance < d && tested.count(a->commit.id))) {
				s.stopped = "no older revision";
				log(fmt::format("search: no revision older than {} left to try", base_name));
				return;
			}
			if (!tested.count(a->commit.id)) {
				SearchedRevision r;
				r.commit = a->commit;
				r.found_by = FoundBy::first_parent;
				r.distance = a->distance;
				r.label = fmt::format("{}~{}", base_name, a->distance);
				if (try_one(r))
					return;
			}
			if (d > (1 << 29))
				break; // no history is this deep; keeps d from overflowing
		}
		s.stopped = "no older revision";
	}
};

} // namespace

GoodEndSearch search_good_end(Repo &repo, const Commit &start, const std::string &start_name, const std::string &why,
			      const SearchOptions &opt, const std::function<Evaluation(const Commit &)> &judge,
			      const LogFn &log)
{
	GoodEndSearch s;
	s.ran = true;
	s.from = start_name;
	s.limit = opt.max_revisions;
	std::string used;
	auto tags = pick_tags(repo.tags_before(start), opt.tag_pattern, used);
	s.tag_pattern = tags.empty() ? "" : used;
	announce(tags, used, why, start_name, opt, log);

	Search search{s, judge, log, {start.id}};
	Commit base = start;
	std::string base_name = start_name;
	if (!search.by_tags(tags, base, base_name))
		search.by_first_parents(repo, base, base_name);
	return s;
}

} // namespace pipehang::bisect
