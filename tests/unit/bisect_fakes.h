// Fakes shared by the bisect session tests: a linear git history c00, c01,
// ... (with tags) and an oracle that models the fixture: a planted hang and a
// later openat2 commit.
#pragma once

#include "bisect/session.h"
#include "engines/linear_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace pipehang::bisect::fakes {

// c00 is the good end, c{n-1} the bad end; linear history.
class FakeRepo : public Repo {
public:
	explicit FakeRepo(int n)
	{
		for (int i = 0; i < n; i++)
			commits.push_back({fmt::format("c{:02}", i), fmt::format("fs: change {}", i)});
	}
	Commit resolve(const std::string &rev) override
	{
		for (auto &c : commits)
			if (c.id == rev)
				return c;
		for (auto &[i, names] : tags)
			for (auto &n : names)
				if (n == rev)
					return commits.at(i);
		throw std::runtime_error("unknown revision " + rev);
	}
	bool is_ancestor(const Commit &a, const Commit &b) override
	{
		int i = index(a.id), j = index(b.id);
		return i >= 0 && j >= 0 && i < j;
	}
	std::vector<Commit> parents_of(const Commit &c) override
	{
		int i = index(c.id);
		if (i <= 0)
			return {};
		return {commits.at(i - 1)};
	}
	// The linear history stands in for git's engine (tested on real
	// repositories in bisect_git_bisect_test.cpp).
	std::unique_ptr<BisectEngine> bisect_engine() override
	{
		engines++;
		return std::make_unique<LinearEngine>(commits);
	}
	void checkout(const Commit &c) override
	{
		current = c.id;
		checkouts++;
	}
	std::string patch(const Commit &c) override { return patches.count(c.id) ? patches[c.id] : ""; }
	std::optional<Commit> revert_on(const Commit &base, const Commit &culprit) override
	{
		if (conflicting_reverts)
			return std::nullopt;
		Commit r{"revert-" + culprit.id + "-on-" + base.id, "Revert \"" + culprit.subject + "\""};
		reverted[r.id] = {base.id, culprit.id};
		return r;
	}
	std::vector<TaggedCommit> tags_before(const Commit &c) override
	{
		std::vector<TaggedCommit> out;
		for (int i = index(c.id) - 1; i >= 0; i--)
			if (auto it = tags.find(i); it != tags.end())
				for (const auto &n : it->second)
					out.push_back({n, commits[i]});
		return out;
	}
	std::optional<Ancestor> first_parent_ancestor(const Commit &c, int distance) override
	{
		int i = index(c.id);
		if (i <= 0 || distance <= 0)
			return std::nullopt;
		int d = std::min(distance, i);
		return Ancestor{commits[i - d], d};
	}
	int index(const std::string &id) const
	{
		for (std::size_t i = 0; i < commits.size(); i++)
			if (commits[i].id == id)
				return static_cast<int>(i);
		return -1;
	}

	std::vector<Commit> commits;
	std::map<std::string, std::string> patches;
	std::map<std::string, std::pair<std::string, std::string>> reverted; // id -> (base, culprit)
	std::map<int, std::vector<std::string>> tags;                        // commit index -> tag names
	bool conflicting_reverts = false;
	std::string current;
	int checkouts = 0;
	int engines = 0;
};

// The kernel at commit i has the hang if i >= bug, openat2 if i >= openat2.
class FakeOracle : public Oracle {
public:
	FakeOracle(FakeRepo &repo, int bug, int openat2) : repo_(repo), bug_(bug), openat2_(openat2) {}

	BuildOutcome build(const Commit &c) override
	{
		builds++;
		if (broken.count(c.id))
			return {false, "", "fs/splice.c:12: error: expected ';'", 30, false, ""};
		if (refused.count(c.id)) // the build script's usage exit: bad input
			return {false, "", "build-kernel.sh refused its input: not a kernel source tree", 0, true, ""};
		std::string sig = signatures.count(c.id) ? signatures[c.id] : "sig-" + c.id;
		return {true, sig, "", 60, false, ""};
	}

	TestOutcome test(const Commit &c, const Mode &mode) override
	{
		tests++;
		tested.push_back(c.id);
		TestOutcome t;
		t.seconds = 40;
		if (errors.count(c.id)) {
			t.verdict = Verdict::error;
			t.reason = "qemu-system-x86_64 not found";
			return t;
		}
		bool bug, openat2;
		features(c.id, bug, openat2);
		if (flaky_good.count(c.id) && bug) { // the hang did not show this time
			t.verdict = Verdict::good;
			t.lines = {"all runs: OK"};
			return t;
		}
		if (mode.entry == "openat2" && !mode.fallback && !openat2) {
			// syzbot's view: the reproducer failed early, the kernel looked fine
			t.verdict = Verdict::good;
			t.entry_unavailable = true;
			t.unavailable_entry = "openat2";
			t.lines = {"all runs: OK"};
			return t;
		}
		if (bug) {
			t.verdict = Verdict::bad;
			t.title = "INFO: task hung in pipe_release";
			t.lines = {"run #0: crashed: INFO: task hung in pipe_release"};
		} else {
			t.verdict = Verdict::good;
			t.lines = {"all runs: OK"};
		}
		return t;
	}

	void features(const std::string &id, bool &bug, bool &openat2)
	{
		if (auto it = repo_.reverted.find(id); it != repo_.reverted.end()) {
			features(it->second.first, bug, openat2);
			int culprit = repo_.index(it->second.second);
			if (culprit == bug_)
				bug = false;
			if (culprit == openat2_)
				openat2 = false;
			return;
		}
		int i = repo_.index(id);
		bug = i >= bug_;
		openat2 = i >= openat2_;
	}

	int builds = 0, tests = 0;
	std::vector<std::string> tested;
	std::set<std::string> broken, refused, errors, flaky_good;
	std::map<std::string, std::string> signatures;

private:
	FakeRepo &repo_;
	int bug_, openat2_;
};

inline const std::vector<std::string> kUsed = {"openat2", "openat", "splice", "pipe2", "io_uring_setup"};

inline Mode syzbot_mode()
{
	return {"syzbot", "openat2 only, ENOSYS is a clean run", "openat2", false, true, kUsed};
}
inline Mode pipehang_mode()
{
	return {"pipehang", "entry auto with fallback", "auto", true, false, kUsed};
}

struct Fixture {
	FakeRepo repo{33};
	FakeOracle oracle{repo, 11, 24};
	std::vector<std::string> log;
	Session session{repo, oracle, [this](std::string_view l) { log.emplace_back(l); }};
	Fixture()
	{
		repo.patches["c24"] = "+SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename,\n"
				      "+437\tcommon\topenat2\t\t\tsys_openat2\n";
		repo.patches["c11"] = "+\t\t} while (ret == 0);\n";
	}
	bool logged(std::string_view needle) const
	{
		for (const auto &l : log)
			if (l.find(needle) != std::string::npos)
				return true;
		return false;
	}
};

} // namespace pipehang::bisect::fakes
