#include "bisect/git_bisect.h"

#include "bisect/git_text.h"
#include "util/process.h"

#include <fmt/format.h>

#include <regex>
#include <sstream>

namespace pipehang::bisect {

using namespace pipehang::util;

namespace {

util::ProcResult git_in(const std::filesystem::path &dir, const std::vector<std::string> &args)
{
	std::vector<std::string> argv = {"git", "-C", dir.string()};
	argv.insert(argv.end(), args.begin(), args.end());
	return util::run_process(argv, util::timed(std::chrono::minutes(5)));
}

} // namespace

BisectStep parse_bisect_output(const std::string &out, const std::function<Commit(const std::string &)> &commit_of,
			       const std::function<std::string()> &bisect_head)
{
	static const std::regex found_re(R"(^([0-9a-f]{40}) is the first bad commit)");
	static const std::regex sha_re(R"(^([0-9a-f]{40})$)");
	BisectStep s;
	std::istringstream in(out);
	std::vector<std::string> lines;
	for (std::string l; std::getline(in, l);)
		lines.push_back(trim(l));
	for (std::size_t i = 0; i < lines.size(); i++) {
		std::smatch m;
		if (std::regex_search(lines[i], m, found_re)) {
			s.kind = BisectStep::Kind::found;
			s.culprit = commit_of(m[1].str());
			return s;
		}
		if (lines[i].rfind("The first bad commit could be any of:", 0) == 0) {
			s.kind = BisectStep::Kind::ambiguous;
			for (std::size_t j = i + 1; j < lines.size(); j++)
				if (std::regex_match(lines[j], m, sha_re))
					s.candidates.push_back(commit_of(m[1].str()));
			return s;
		}
	}
	for (const auto &l : lines) {
		// "Bisecting: 3 revisions left ..." or "Bisecting: a merge base must be tested"
		if (l.rfind("Bisecting:", 0) == 0) {
			s.kind = BisectStep::Kind::next;
			s.progress = l;
			s.next = commit_of(bisect_head());
			return s;
		}
	}
	throw GitError(fmt::format("git bisect gave an answer pipehang does not understand: {}", trim(out)));
}

bool GitBisect::in_progress(const std::filesystem::path &dir)
{
	auto r = git_in(dir, {"rev-parse", "--git-path", "BISECT_START"});
	if (!r.ok())
		return false;
	std::filesystem::path p = trim(r.output);
	if (p.is_relative())
		p = dir / p;
	return std::filesystem::exists(p);
}

GitBisect::GitBisect(std::filesystem::path dir) : dir_(std::move(dir))
{
	if (in_progress(dir_))
		throw GitError(fmt::format("a git bisection is already in progress in {} (see `git bisect log`); "
					   "pipehang leaves it alone: finish it with `git bisect reset` first",
					   dir_.string()));
}

GitBisect::~GitBisect()
{
	if (started_)
		git_in(dir_, {"bisect", "reset"}); // --no-checkout: HEAD stays where it is
}

BisectStep GitBisect::run(const std::vector<std::string> &args)
{
	auto r = git_in(dir_, args);
	std::string out = r.output + r.errors;
	auto commit_of = [&](const std::string &id) {
		auto s = git_in(dir_, {"log", "-1", "--format=%s", id});
		return Commit{id, trim(s.output)};
	};
	auto head = [&] {
		auto h = git_in(dir_, {"rev-parse", "BISECT_HEAD"});
		if (!h.ok())
			throw GitError("git bisect chose no revision (no BISECT_HEAD)");
		return trim(h.output);
	};
	try {
		return parse_bisect_output(out, commit_of, head);
	} catch (const GitError &) {
		if (!r.ok())
			throw GitError(
				fmt::format("git {} failed ({}): {}", fmt::join(args, " "), r.describe(), trim(out)));
		throw;
	}
}

std::vector<Candidate> GitBisect::candidates()
{
	auto r = git_in(dir_, {"rev-list", "--bisect-all", "--parents", "refs/bisect/bad", "--not",
			       "--glob=refs/bisect/good-*"});
	if (!r.ok())
		throw GitError(fmt::format("git rev-list --bisect-all failed ({}): {}", r.describe(), trim(r.errors)));
	return parse_bisect_all(r.output);
}

BisectStep GitBisect::start(const Commit &bad, const Commit &good)
{
	started_ = true;
	return run({"bisect", "start", "--no-checkout", bad.id, good.id, "--"});
}

BisectStep GitBisect::mark(const Commit &c, Verdict v)
{
	std::string word = v == Verdict::good ? "good" : v == Verdict::bad ? "bad" : "skip";
	return run({"bisect", word, c.id});
}

} // namespace pipehang::bisect
