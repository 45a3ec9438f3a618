// The whole session driven by git's own bisection engine (GitRepo +
// GitBisect) on small real git repositories with merges, tags and skips,
// judged by a fake oracle that reads the checked-out tree: code/bug and
// code/latent together are the hang, code/openat2 the reproducer's entry
// point (the merges fixture of docs/bisect.md in miniature).
#include "bisect/git_bisect.h"
#include "bisect/git_repo.h"
#include "bisect/session.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

using namespace pipehang::bisect;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kUsed = {"openat2", "openat", "splice"};
Mode syzbot_m()
{
	return {"syzbot", "openat2 only, ENOSYS is a clean run", "openat2", false, true, kUsed};
}
Mode pipehang_m()
{
	return {"pipehang", "entry auto with fallback", "auto", true, false, kUsed};
}

class TempRepo {
public:
	TempRepo()
	{
		char tmpl[] = "/tmp/bisect-gitb-XXXXXX";
		dir = mkdtemp(tmpl);
		sh("git init -q -b master . && git config user.name t && git config user.email t@t && mkdir code doc");
	}
	~TempRepo() { fs::remove_all(dir); }
	std::string sh(const std::string &cmd)
	{
		// Fixed dates: git's choices (and so these tests) are deterministic.
		std::string full = "cd " + dir.string() +
				   " && export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' "
				   "GIT_COMMITTER_DATE='2026-01-01T00:00:00Z' && " +
				   cmd + " 2>&1";
		FILE *p = popen(full.c_str(), "r");
		std::string out;
		char buf[4096];
		while (std::size_t n = fread(buf, 1, sizeof buf, p))
			out.append(buf, n);
		int rc = pclose(p);
		EXPECT_EQ(rc, 0) << cmd << ": " << out;
		return out;
	}
	void commit(const std::string &file, const std::string &text, const std::string &subject)
	{
		fs::create_directories((dir / file).parent_path()); // git drops empty directories
		std::ofstream(dir / file, std::ios::app) << text;
		sh("git add " + file + " && git commit -q -m '" + subject + "'");
	}
	void merge(const std::string &branch)
	{
		sh("git merge -q --no-ff -m \"Merge branch '" + branch + "'\" " + branch);
	}
	fs::path dir;
};

// The merges fixture in miniature:
//   master: base -- Merge 'iter' (tag v1.1) -- Merge 'splice' (tag v1.2)
//           -- doc -- Merge 'open' -- doc (tag v1.3)
//   iter:   latent change (harmless alone)
//   splice: doc, the culprit (code/bug), doc        (from v1.1)
//   open:   doc, openat2, doc                        (from v1.1)
void make_history(TempRepo &t)
{
	t.commit("code/base.c", "int base;\n", "base");
	t.sh("git tag v1.0 && git checkout -q -b iter");
	t.commit("code/latent.c", "int latent;\n", "iter: walk bvecs with a bvec_iter");
	t.commit("doc/iter.txt", "why\n", "iter: comment");
	t.sh("git checkout -q master");
	t.merge("iter");
	t.sh("git tag v1.1 && git checkout -q -b splice");
	t.commit("doc/splice.txt", "a\n", "splice: comment");
	t.commit("code/bug.c", "int bug;\n", "splice: simplify building the bvec array");
	t.commit("doc/splice.txt", "b\n", "splice: another comment");
	t.sh("git checkout -q -b open v1.1");
	t.commit("doc/open.txt", "a\n", "open: comment");
	t.commit("code/openat2.c", "SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename,\n",
		 "open: introduce openat2(2) syscall");
	t.commit("doc/open.txt", "b\n", "open: another comment");
	t.sh("git checkout -q master");
	t.merge("splice");
	t.sh("git tag v1.2");
	t.commit("doc/main.txt", "a\n", "main: comment");
	t.merge("open");
	t.commit("doc/main.txt", "b\n", "main: another comment");
	t.sh("git tag v1.3");
}

// Judges the checked-out tree. Its signature is the hash of code/ only, so
// doc commits reuse their parent's verdict, as comment commits do.
class TreeOracle : public Oracle {
public:
	explicit TreeOracle(fs::path dir) : dir_(std::move(dir)) {}
	BuildOutcome build(const Commit &c) override
	{
		builds.push_back(subject());
		if (broken.count(subject()))
			return {false, "", "code/x.c:1: error: expected ';'", 1, false, ""};
		std::string sig;
		for (const auto *f : {"base", "latent", "bug", "openat2", "half1", "half2"})
			sig += has(f) ? f : "-";
		(void)c;
		return {true, sig, "", 1, false, "cfg"};
	}
	TestOutcome test(const Commit &, const Mode &mode) override
	{
		tests.push_back(subject());
		TestOutcome t;
		bool bug = (has("bug") && has("latent")) || (has("half1") && has("half2"));
		if (!mode.fallback && !has("openat2")) {
			t.verdict = Verdict::good; // syzbot: ENOSYS counted clean
			t.entry_unavailable = true;
			t.unavailable_entry = "openat2";
			return t;
		}
		t.verdict = bug ? Verdict::bad : Verdict::good;
		if (bug)
			t.title = "INFO: task hung in pipe_release";
		return t;
	}
	bool has(const std::string &f) const { return fs::exists(dir_ / "code" / (f + ".c")); }
	std::string subject() const
	{
		std::string cmd = "git -C " + dir_.string() + " log -1 --format=%s";
		FILE *p = popen(cmd.c_str(), "r");
		char buf[512] = {};
		std::string s = fgets(buf, sizeof buf, p) ? buf : "";
		pclose(p);
		while (!s.empty() && s.back() == '\n')
			s.pop_back();
		return s;
	}
	std::vector<std::string> builds, tests;
	std::set<std::string> broken; // subjects whose build fails (skip)

private:
	fs::path dir_;
};

struct Env {
	TempRepo t;
	std::unique_ptr<GitRepo> repo;
	std::unique_ptr<TreeOracle> oracle;
	std::vector<std::string> log;
	std::unique_ptr<Session> session;
	Env()
	{
		make_history(t);
		repo = std::make_unique<GitRepo>(t.dir);
		oracle = std::make_unique<TreeOracle>(t.dir);
		session =
			std::make_unique<Session>(*repo, *oracle, [this](std::string_view l) { log.emplace_back(l); });
	}
	bool logged(std::string_view needle) const
	{
		for (const auto &l : log)
			if (l.find(needle) != std::string::npos)
				return true;
		return false;
	}
	bool bisect_state_left()
	{
		return GitBisect::in_progress(t.dir) || !t.sh("git for-each-ref refs/bisect").empty();
	}
};

} // namespace

TEST(BisectGitEngine, PipehangModeFindsTheCulpritOnItsTopicBranchAcrossMerges)
{
	Env e;
	auto r = e.session->bisect("v1.2", "v1.3", pipehang_m(), true);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_TRUE(r.good_end_was_bad);
	ASSERT_TRUE(r.search.found);
	EXPECT_EQ(r.search.found->tag, "v1.1"); // a tag on the merge-made mainline
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->subject, "splice: simplify building the bvec array");
	EXPECT_FALSE(r.merge.is_merge);
	EXPECT_EQ(r.verification, Verification::confirmed) << r.verification_detail;
	// git chose the revisions and said so, in its own words
	EXPECT_TRUE(e.logged("Bisecting: ")) << "no git progress line";
	EXPECT_TRUE(e.logged("revisions left to test after this (roughly"));
	EXPECT_FALSE(r.false_culprit.suspicious());
	// the tree's bisect state is as it was found: none
	EXPECT_FALSE(e.bisect_state_left());
}

TEST(BisectGitEngine, SyzbotModeBlamesTheMergeThatBringsOpenat2AndReBisects)
{
	Env e;
	SessionReport s = e.session->run("v1.2", "v1.3", syzbot_m(), pipehang_m(), true);
	const auto &r = s.first;
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_FALSE(r.good_end_was_bad); // openat2 missing: ENOSYS counted clean
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->subject, "Merge branch 'open'");
	ASSERT_TRUE(r.merge.is_merge);
	ASSERT_EQ(r.merge.parents.size(), 2u);
	EXPECT_EQ(r.merge.parents[0].commit.subject, "main: comment");
	EXPECT_EQ(r.merge.parents[1].commit.subject, "open: another comment");
	for (const auto &p : r.merge.parents)
		EXPECT_EQ(p.verdict, Verdict::good) << p.commit.subject;
	EXPECT_EQ(r.merge.commits_brought_in, 3);
	ASSERT_EQ(r.merge.entry_points.size(), 1u);
	EXPECT_EQ(r.merge.entry_points[0].name, "openat2");
	EXPECT_EQ(r.merge.entry_points[0].commit_subject, "open: introduce openat2(2) syscall");
	EXPECT_FALSE(r.merge.sides_break_together);
	EXPECT_TRUE(e.logged("merge culprit: one side brought the reproducer's entry point: openat2 arrives through "
			     "this merge"));
	// The false-culprit check reads what the merge brings in, not its empty diff.
	bool brings = false;
	for (const auto &why : r.false_culprit.reasons)
		brings |= why.find("a merge that brings in the syscall openat2") != std::string::npos;
	EXPECT_TRUE(brings);
	// Reverted against its first parent, openat2 goes again: "confirmed".
	EXPECT_EQ(r.verification, Verification::confirmed) << r.verification_detail;
	EXPECT_TRUE(e.logged("(a merge: against its first parent, -m 1)"));
	ASSERT_TRUE(s.rebisect);
	ASSERT_TRUE(s.rebisect->culprit) << s.rebisect->error;
	EXPECT_EQ(s.rebisect->culprit->subject, "splice: simplify building the bvec array");
	EXPECT_TRUE(s.rebisect->good_end_was_bad);
	EXPECT_FALSE(e.bisect_state_left());
}

TEST(BisectGitEngine, TwoSidesThatOnlyBreakTogetherAreNamedWithBothParents)
{
	TempRepo t;
	t.commit("code/base.c", "int base;\n", "base");
	t.sh("git tag good && git checkout -q -b a");
	t.commit("code/half1.c", "int h1;\n", "a: first half");
	t.commit("doc/a.txt", "x\n", "a: comment");
	t.sh("git checkout -q -b b good");
	t.commit("code/half2.c", "int h2;\n", "b: second half");
	t.sh("git checkout -q master");
	t.commit("doc/m.txt", "x\n", "main: comment");
	t.merge("a");
	t.merge("b");
	GitRepo repo(t.dir);
	TreeOracle oracle(t.dir);
	std::vector<std::string> log;
	Session session(repo, oracle, [&](std::string_view l) { log.emplace_back(l); });
	auto r = session.bisect("good", "master", pipehang_m(), true);
	ASSERT_TRUE(r.completed) << r.error;
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->subject, "Merge branch 'b'");
	ASSERT_TRUE(r.merge.is_merge);
	EXPECT_TRUE(r.merge.sides_break_together);
	EXPECT_EQ(r.merge.parents[0].commit.subject, "Merge branch 'a'");
	EXPECT_EQ(r.merge.parents[1].commit.subject, "b: second half");
	EXPECT_EQ(r.merge.parents[0].verdict, Verdict::good);
	EXPECT_EQ(r.merge.parents[1].verdict, Verdict::good);
	EXPECT_TRUE(r.merge.entry_points.empty());
	bool named = false;
	for (const auto &l : r.merge.explanation)
		named |= l.find("only break together") != std::string::npos;
	EXPECT_TRUE(named);
	EXPECT_EQ(r.verification, Verification::confirmed) << r.verification_detail;
	EXPECT_FALSE(r.false_culprit.suspicious());
}

TEST(BisectGitEngine, GitStepsAroundSkipsAndListsCandidatesWhenOnlySkipsAreLeft)
{
	{
		Env e;
		// Untestable revisions around the culprit, not its parent: git
		// steps around them and still names it.
		e.oracle->broken = {"splice: another comment", "main: comment", "Merge branch 'splice'"};
		auto r = e.session->bisect("v1.1", "v1.3", pipehang_m(), false);
		ASSERT_TRUE(r.culprit) << r.error << " candidates: " << r.candidates.size();
		EXPECT_EQ(r.culprit->subject, "splice: simplify building the bvec array");
	}
	{
		Env e;
		// The culprit and the commit before it cannot be built: git cannot
		// tell which of them (or the merge above) is first bad.
		e.oracle->broken = {"splice: simplify building the bvec array", "splice: another comment"};
		auto r = e.session->bisect("v1.1", "v1.2", pipehang_m(), false);
		ASSERT_TRUE(r.completed) << r.error;
		EXPECT_FALSE(r.culprit);
		std::set<std::string> subjects;
		for (const auto &c : r.candidates)
			subjects.insert(c.subject);
		EXPECT_TRUE(subjects.count("splice: simplify building the bvec array"));
		EXPECT_TRUE(e.logged("We cannot bisect more!"));
		EXPECT_FALSE(e.bisect_state_left());
	}
}

TEST(BisectGitEngine, ABisectionAlreadyInProgressIsRefusedAndLeftAlone)
{
	Env e;
	e.t.sh("git bisect start v1.3 v1.0 >/dev/null && git bisect skip >/dev/null");
	std::string before = e.t.sh("git bisect log");
	auto r = e.session->bisect("v1.2", "v1.3", pipehang_m(), false);
	EXPECT_FALSE(r.culprit);
	EXPECT_NE(r.error.find("a git bisection is already in progress"), std::string::npos) << r.error;
	EXPECT_EQ(e.t.sh("git bisect log"), before);
	EXPECT_TRUE(GitBisect::in_progress(e.t.dir));
	e.t.sh("git bisect reset >/dev/null");
}

TEST(BisectGitEngine, ParsesGitAnswers)
{
	auto commit_of = [](const std::string &id) { return Commit{id, "s"}; };
	auto head = [] { return std::string(40, 'b'); };
	auto n = parse_bisect_output("Bisecting: 3 revisions left to test after this (roughly 2 steps)\n[" +
					     std::string(40, 'b') + "] x\n",
				     commit_of, head);
	EXPECT_EQ(n.kind, BisectStep::Kind::next);
	EXPECT_EQ(n.next.id, std::string(40, 'b'));
	EXPECT_EQ(n.progress, "Bisecting: 3 revisions left to test after this (roughly 2 steps)");
	auto f = parse_bisect_output(std::string(40, 'a') + " is the first bad commit\ncommit ...\n", commit_of, head);
	EXPECT_EQ(f.kind, BisectStep::Kind::found);
	EXPECT_EQ(f.culprit.id, std::string(40, 'a'));
	auto a = parse_bisect_output(
		"There are only 'skip'ped commits left to test.\nThe first bad commit could be any "
		"of:\n" +
			std::string(40, 'c') + "\n" + std::string(40, 'd') + "\nWe cannot bisect more!\n",
		commit_of, head);
	EXPECT_EQ(a.kind, BisectStep::Kind::ambiguous);
	EXPECT_EQ(a.candidates.size(), 2u);
	EXPECT_THROW(parse_bisect_output("fatal: something else\n", commit_of, head), GitError);
}
