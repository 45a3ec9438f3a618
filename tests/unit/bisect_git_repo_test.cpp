// GitRepo against a real throw-away git repository: ancestry, parents,
// patches, reverts (clean, conflicting, of a merge), dirty trees.
#include "bisect/git_repo.h"
#include "bisect/session.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace pipehang::bisect;
namespace fs = std::filesystem;

namespace {

class TempRepo {
public:
	TempRepo()
	{
		char tmpl[] = "/tmp/bisect-git-XXXXXX";
		dir = mkdtemp(tmpl);
		sh("git init -q -b master . && git config user.name t && git config user.email t@t");
	}
	~TempRepo() { fs::remove_all(dir); }
	void sh(const std::string &cmd)
	{
		std::string full = "cd " + dir.string() + " && " + cmd + " >/dev/null 2>&1";
		ASSERT_EQ(std::system(full.c_str()), 0) << cmd;
	}
	void commit(const std::string &file, const std::string &text, const std::string &subject)
	{
		std::ofstream(dir / file) << text;
		sh("git add " + file + " && git commit -q -m '" + subject + "'");
	}
	fs::path dir;
};

} // namespace

TEST(BisectGitRepo, AncestryParentsAndPatch)
{
	TempRepo t;
	t.commit("a.c", "int a;\n", "base");
	t.commit("a.c", "int a;\nint b;\n", "add b");
	t.commit("a.c", "int a;\nint b;\nint c;\n", "add c");
	GitRepo repo(t.dir);
	auto good = repo.resolve("HEAD~2");
	auto mid = repo.resolve("HEAD~1");
	auto bad = repo.resolve("HEAD");
	EXPECT_EQ(good.subject, "base");
	EXPECT_TRUE(repo.is_ancestor(good, bad));
	EXPECT_FALSE(repo.is_ancestor(bad, good)); // reversed ends: nothing to bisect
	EXPECT_FALSE(repo.is_ancestor(bad, bad));
	auto p = repo.parents_of(bad);
	ASSERT_EQ(p.size(), 1u);
	EXPECT_EQ(p[0].subject, "add b");
	EXPECT_TRUE(repo.parents_of(good).empty()); // the root
	EXPECT_NE(repo.patch(mid).find("+int b;"), std::string::npos);
}

TEST(BisectGitRepo, RevertOnBadCreatesACommitOrReportsConflict)
{
	TempRepo t;
	t.commit("a.c", "int a;\n", "base");
	t.commit("b.c", "int b;\n", "add b.c");
	t.commit("a.c", "int a2;\n", "change a");
	t.commit("a.c", "int a3;\n", "change a again");
	GitRepo repo(t.dir);
	auto head = repo.resolve("HEAD");
	auto change_a = repo.resolve("HEAD~1");
	auto add_b = repo.resolve("HEAD~2");
	auto r = repo.revert_on(head, add_b);
	ASSERT_TRUE(r);
	EXPECT_EQ(r->subject, "Revert \"add b.c\"");
	EXPECT_FALSE(fs::exists(t.dir / "b.c"));
	// "change a" cannot be reverted cleanly on top of "change a again"
	auto conflict = repo.revert_on(head, change_a);
	EXPECT_FALSE(conflict);
	EXPECT_TRUE(repo.dirty_files().empty()); // the failed revert was aborted
}

TEST(BisectGitRepo, DirtyFilesAndHeadRestore)
{
	TempRepo t;
	t.commit("a.c", "int a;\n", "base");
	t.commit("a.c", "int b;\n", "two");
	GitRepo repo(t.dir);
	EXPECT_EQ(repo.current_head(), "master");
	repo.checkout(repo.resolve("HEAD~1"));
	EXPECT_EQ(repo.current_head().size(), 40u); // detached
	repo.restore_head("master");
	EXPECT_EQ(repo.current_head(), "master");
	std::ofstream(t.dir / "a.c") << "dirty\n";
	auto dirty = repo.dirty_files();
	ASSERT_EQ(dirty.size(), 1u);
	EXPECT_EQ(dirty[0], "a.c");
}

TEST(BisectGitRepo, MergePatchIsWhatItBringsInAndItsRevertUndoesIt)
{
	TempRepo t;
	t.commit("a.c", "int a;\n", "base");
	t.sh("git checkout -q -b side && echo 'SYSCALL_DEFINE4(openat2, int, dfd)' > s.c && git add s.c && "
	     "git commit -q -m 'open: introduce openat2' && echo y > t.c && git add t.c && git commit -q -m 'side "
	     "two'");
	t.sh("git checkout -q master && echo y > m.c && git add m.c && git commit -q -m main");
	t.sh("git merge -q --no-ff --no-edit -m 'Merge branch side' side");
	GitRepo repo(t.dir);
	auto merge = repo.resolve("HEAD");
	auto parents = repo.parents_of(merge);
	ASSERT_EQ(parents.size(), 2u);
	EXPECT_EQ(parents[0].subject, "main");
	EXPECT_EQ(parents[1].subject, "side two");
	// The merge's own diff is empty; its patch is the two commits it brings in.
	std::string patch = repo.patch(merge);
	EXPECT_NE(patch.find("+SYSCALL_DEFINE4(openat2"), std::string::npos) << patch;
	EXPECT_NE(patch.find("open: introduce openat2"), std::string::npos);
	EXPECT_NE(patch.find("side two"), std::string::npos);
	EXPECT_EQ(patch.find("\nmain\n"), std::string::npos) << "the first parent's own commit is not brought in";
	// Reverted against its first parent: the side's files go, main's stay.
	auto r = repo.revert_on(merge, merge);
	ASSERT_TRUE(r);
	EXPECT_FALSE(fs::exists(t.dir / "s.c"));
	EXPECT_FALSE(fs::exists(t.dir / "t.c"));
	EXPECT_TRUE(fs::exists(t.dir / "m.c"));
}

TEST(BisectGitRepo, BadDirectoryAndRevisionsAreErrors)
{
	EXPECT_THROW(GitRepo("/nonexistent/tree"), GitError);
	EXPECT_THROW(GitRepo("/"), GitError);
	TempRepo t;
	t.commit("a.c", "int a;\n", "base");
	GitRepo repo(t.dir);
	EXPECT_THROW(repo.resolve("no-such-rev"), GitError);
	EXPECT_THROW(repo.resolve("--help"), GitError);
}

TEST(BisectGitRepo, TagsBeforeAreNewestFirstByTopologyNotDate)
{
	TempRepo t;
	// Every commit has the same date (like a fixture made with fixed
	// dates): only the topology can order them.
	for (int i = 1; i <= 6; i++)
		t.sh("echo " + std::to_string(i) +
		     " > f && git add f && GIT_COMMITTER_DATE=2020-01-01T00:00:00 "
		     "GIT_AUTHOR_DATE=2020-01-01T00:00:00 git commit -q -m c" +
		     std::to_string(i));
	t.sh("git tag replay-base HEAD~5");                  // lightweight
	t.sh("git tag -a -m 'latent' replay-latent HEAD~3"); // annotated: peeled to its commit
	t.sh("git tag also-latent HEAD~3");
	t.sh("git tag replay-v5.5 HEAD~1"); // the start: excluded
	t.sh("git tag replay-tip HEAD");    // after the start: not reachable
	t.sh("git branch side HEAD~2");     // branches are not tags
	GitRepo repo(t.dir);
	auto start = repo.resolve("replay-v5.5");
	auto tags = repo.tags_before(start);
	ASSERT_EQ(tags.size(), 3u);
	EXPECT_EQ(tags[0].tag, "also-latent"); // one commit's tags sorted by name
	EXPECT_EQ(tags[1].tag, "replay-latent");
	EXPECT_EQ(tags[1].commit.id, repo.resolve("HEAD~3").id);
	EXPECT_EQ(tags[1].commit.subject, "c3");
	EXPECT_EQ(tags[2].tag, "replay-base");
	EXPECT_EQ(tags[2].commit.subject, "c1");
	EXPECT_TRUE(repo.tags_before(repo.resolve("HEAD~5")).empty());
}

TEST(BisectGitRepo, FirstParentAncestorStopsAtTheRoot)
{
	TempRepo t;
	for (int i = 1; i <= 5; i++)
		t.commit("a.c", "int a" + std::to_string(i) + ";\n", "c" + std::to_string(i));
	// a merged side branch: the first-parent chain stays on master
	t.sh("git checkout -q -b side HEAD~1 && echo s > s.c && git add s.c && git commit -q -m side");
	t.sh("git checkout -q master && git merge -q --no-edit side");
	GitRepo repo(t.dir);
	auto head = repo.resolve("HEAD");
	auto one = repo.first_parent_ancestor(head, 1);
	ASSERT_TRUE(one);
	EXPECT_EQ(one->commit.subject, "c5");
	EXPECT_EQ(one->distance, 1);
	auto four = repo.first_parent_ancestor(head, 4);
	ASSERT_TRUE(four);
	EXPECT_EQ(four->commit.subject, "c2");
	auto far = repo.first_parent_ancestor(head, 64);
	ASSERT_TRUE(far);
	EXPECT_EQ(far->commit.subject, "c1"); // the root, at its real distance
	EXPECT_EQ(far->distance, 5);
	EXPECT_FALSE(repo.first_parent_ancestor(far->commit, 1));
}

namespace {

// Judges the checked-out tree of a TempRepo: bad when bug.c says BUG.
class FileOracle : public Oracle {
public:
	explicit FileOracle(fs::path dir) : dir_(std::move(dir)) {}
	BuildOutcome build(const Commit &) override { return {true, "sig-" + content(), "", 1, false, ""}; }
	TestOutcome test(const Commit &c, const Mode &) override
	{
		tested.push_back(c.subject);
		TestOutcome t;
		bool bug = content().find("BUG") != std::string::npos;
		t.verdict = bug ? Verdict::bad : Verdict::good;
		t.title = bug ? "INFO: task hung in pipe_release" : "";
		return t;
	}
	std::vector<std::string> tested;

private:
	std::string content()
	{
		std::ifstream in(dir_ / "bug.c");
		return std::string(std::istreambuf_iterator<char>(in), {});
	}
	fs::path dir_;
};

} // namespace

TEST(BisectGitRepo, SessionSearchesBackThroughRealTags)
{
	// The replay fixture in small: the tag a user would give as good
	// (replay-v5.5) already has the bug; the culprit is older.
	TempRepo t;
	t.commit("bug.c", "ok\n", "base");
	t.sh("git tag replay-base");
	t.commit("other.c", "1\n", "harmless");
	t.sh("git tag -a -m latent replay-latent");
	t.commit("bug.c", "ok\nBUG\n", "splice: the culprit");
	t.commit("other.c", "2\n", "after the culprit");
	t.sh("git tag replay-v5.5");
	t.commit("other.c", "3\n", "open: introduce openat2(2) syscall");
	t.commit("other.c", "4\n", "tip");
	t.sh("git tag replay-tip");
	GitRepo repo(t.dir);
	FileOracle oracle(t.dir);
	std::vector<std::string> log;
	Session session(repo, oracle, [&](std::string_view l) { log.emplace_back(l); });
	Mode mode{"pipehang", "test", "auto", true, false, {}};
	auto r = session.bisect("replay-v5.5", "replay-tip", mode, true);
	ASSERT_TRUE(r.completed) << r.error;
	EXPECT_TRUE(r.good_end_was_bad);
	ASSERT_EQ(r.search.tried.size(), 1u);
	ASSERT_TRUE(r.search.found);
	EXPECT_EQ(r.search.found->tag, "replay-latent");
	ASSERT_TRUE(r.culprit);
	EXPECT_EQ(r.culprit->subject, "splice: the culprit");
	EXPECT_EQ(r.verification, Verification::confirmed);
	// The signature is bug.c's content: the good end and the culprit reuse
	// the tip's verdict, the revert replay-latent's.
	EXPECT_EQ(oracle.tested, (std::vector<std::string>{"tip", "harmless"}));
	EXPECT_EQ(r.verdicts_reused, 3);
}
