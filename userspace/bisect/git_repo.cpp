#include "bisect/git_repo.h"

#include "bisect/git_bisect.h"
#include "bisect/git_text.h"
#include "util/process.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace pipehang::bisect {

using namespace pipehang::util;

GitRepo::GitRepo(std::filesystem::path dir) : dir_(std::move(dir))
{
	std::error_code ec;
	if (!std::filesystem::is_directory(dir_, ec))
		throw GitError(fmt::format("--tree {}: no such directory", dir_.string()));
	auto top = util::run_process({"git", "-C", dir_.string(), "rev-parse", "--show-toplevel"},
				     util::timed(std::chrono::seconds(30)));
	if (!top.ok())
		throw GitError(fmt::format("--tree {}: not a git work tree", dir_.string()));
}

std::string GitRepo::git(const std::vector<std::string> &args)
{
	// A fixed identity so revert commits work on hosts without git config.
	std::vector<std::string> argv = {"git",
					 "-C",
					 dir_.string(),
					 "-c",
					 "user.name=pipehang bisect",
					 "-c",
					 "user.email=bisect@pipehang.invalid"};
	argv.insert(argv.end(), args.begin(), args.end());
	auto r = util::run_process(argv, util::timed(std::chrono::minutes(5)));
	if (!r.ok())
		throw GitError(
			fmt::format("git {} failed ({}): {}", fmt::join(args, " "), r.describe(), trim(r.errors)));
	return r.output;
}

Commit GitRepo::resolve(const std::string &rev)
{
	if (rev.empty() || rev[0] == '-')
		throw GitError(fmt::format("bad revision '{}'", rev));
	std::string id;
	try {
		id = trim(git({"rev-parse", "--verify", "--quiet", rev + "^{commit}"}));
	} catch (const GitError &) {
		throw GitError(fmt::format("unknown revision {} in {}", rev, dir_.string()));
	}
	return {id, trim(git({"log", "-1", "--format=%s", id}))};
}

bool GitRepo::is_ancestor(const Commit &a, const Commit &b)
{
	if (a.id == b.id)
		return false;
	auto r = util::run_process({"git", "-C", dir_.string(), "merge-base", "--is-ancestor", a.id, b.id},
				   util::timed(std::chrono::minutes(2)));
	return r.ok();
}

std::vector<Commit> GitRepo::parents_of(const Commit &c)
{
	std::vector<Commit> out;
	auto ids = trim(git({"log", "-1", "--format=%P", c.id}));
	std::istringstream in(ids);
	for (std::string id; in >> id;)
		out.push_back({id, trim(git({"log", "-1", "--format=%s", id}))});
	return out;
}

void GitRepo::checkout(const Commit &c)
{
	git({"checkout", "-q", "--detach", c.id});
}

std::string GitRepo::patch(const Commit &c)
{
	if (parents_of(c).size() > 1)
		// What the merge brings into mainline, commit by commit: its own
		// diff is usually empty and would hide an added syscall.
		return git({"log", "-p", "--no-merges", "--format=commit %H%n%n%B", c.id + "^1.." + c.id});
	return git({"show", "--format=commit %H%n%n%B", c.id});
}

std::optional<Commit> GitRepo::revert_on(const Commit &base, const Commit &culprit)
{
	checkout(base);
	std::vector<std::string> argv = {"git",
					 "-C",
					 dir_.string(),
					 "-c",
					 "user.name=pipehang bisect",
					 "-c",
					 "user.email=bisect@pipehang.invalid",
					 "revert",
					 "--no-edit"};
	if (parents_of(culprit).size() > 1) {
		// A merge is undone against mainline: drop what its other side(s)
		// brought in.
		argv.push_back("-m");
		argv.push_back("1");
	}
	argv.push_back(culprit.id);
	auto r = util::run_process(argv, util::timed(std::chrono::minutes(5)));
	if (!r.ok()) {
		util::run_process({"git", "-C", dir_.string(), "revert", "--abort"},
				  util::timed(std::chrono::minutes(2)));
		return std::nullopt;
	}
	return resolve("HEAD");
}

std::vector<TaggedCommit> GitRepo::tags_before(const Commit &c)
{
	// One walk lists only the tagged commits reachable from c, in
	// topological order (a child before its parents: newest first even when
	// commit dates are equal or skewed), annotated tags peeled.
	// --decorate-refs also restricts the simplification to tags, so
	// branches do not add commits.
	std::vector<TaggedCommit> out;
	for (const auto &l : lines_of(git({"log", "--topo-order", "--simplify-by-decoration",
					   "--decorate-refs=refs/tags/*", "--format=%H%x09%D%x09%s", c.id}))) {
		auto t1 = l.find('\t');
		auto t2 = l.find('\t', t1 == std::string::npos ? t1 : t1 + 1);
		if (t1 == std::string::npos || t2 == std::string::npos)
			continue;
		Commit commit{l.substr(0, t1), l.substr(t2 + 1)};
		if (commit.id == c.id)
			continue; // the start itself is known bad
		std::vector<std::string> names;
		std::istringstream decorations(l.substr(t1 + 1, t2 - t1 - 1));
		for (std::string d; std::getline(decorations, d, ',');) {
			while (!d.empty() && d.front() == ' ')
				d.erase(0, 1);
			if (d.rfind("tag: ", 0) == 0)
				names.push_back(d.substr(5));
		}
		std::sort(names.begin(), names.end()); // git's order among them is arbitrary
		for (auto &n : names)
			out.push_back({n, commit});
	}
	return out;
}

std::optional<Ancestor> GitRepo::first_parent_ancestor(const Commit &c, int distance)
{
	// The first-parent chain's length bounds the distance (the root has none).
	int depth = std::stoi(trim(git({"rev-list", "--first-parent", "--count", c.id}))) - 1;
	if (depth <= 0 || distance <= 0)
		return std::nullopt;
	int d = std::min(distance, depth);
	Commit a = resolve(fmt::format("{}~{}", c.id, d));
	return Ancestor{a, d};
}

std::unique_ptr<BisectEngine> GitRepo::bisect_engine()
{
	return std::make_unique<GitBisect>(dir_);
}

bool GitRepo::bisect_in_progress()
{
	return GitBisect::in_progress(dir_);
}

std::vector<std::string> GitRepo::dirty_files()
{
	std::vector<std::string> out;
	for (const auto &l : lines_of(git({"status", "--porcelain", "--untracked-files=no"})))
		out.push_back(l.size() > 3 ? l.substr(3) : l);
	return out;
}

std::string GitRepo::current_head()
{
	auto r = util::run_process({"git", "-C", dir_.string(), "symbolic-ref", "-q", "--short", "HEAD"},
				   util::timed(std::chrono::seconds(30)));
	if (r.ok())
		return trim(r.output);
	return trim(git({"rev-parse", "HEAD"}));
}

void GitRepo::restore_head(const std::string &head)
{
	git({"checkout", "-q", head});
}

} // namespace pipehang::bisect
