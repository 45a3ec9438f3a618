// The false-culprit check on real-looking patches.
#include "bisect/false_culprit.h"
#include "bisect/merge_culprit.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;

namespace {

const char *openat2_patch = R"(commit fddb5d430ad9
    open: introduce openat2(2) syscall

diff --git a/arch/x86/entry/syscalls/syscall_64.tbl b/arch/x86/entry/syscalls/syscall_64.tbl
--- a/arch/x86/entry/syscalls/syscall_64.tbl
+++ b/arch/x86/entry/syscalls/syscall_64.tbl
@@ -357,6 +357,7 @@
 434	common	pidfd_open		sys_pidfd_open
 435	common	clone3			sys_clone3
+437	common	openat2			sys_openat2
diff --git a/fs/open.c b/fs/open.c
+++ b/fs/open.c
@@ -1,3 +1,4 @@
+SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename,
+		struct open_how __user *, how, size_t, usize)
 SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
+#define RESOLVE_NO_XDEV		0x01
)";

const char *splice_patch = R"(diff --git a/fs/splice.c b/fs/splice.c
--- a/fs/splice.c
+++ b/fs/splice.c
@@ -680,7 +680,9 @@
-		ret = vfs_iter_write(out, &from, &sd.pos, 0);
+		do {
+			ret = vfs_iter_write(out, &from, &sd.pos, 0);
+		} while (ret == 0);
 SYSCALL_DEFINE6(splice, int, fd_in, loff_t __user *, off_in,
)";

} // namespace

TEST(FalseCulprit, FindsSyscallsAddedByDefinitionAndTable)
{
	auto names = syscalls_added_by(openat2_patch);
	EXPECT_EQ(names, (std::vector<std::string>{"openat2"}));
	// context lines (no '+') never count
	EXPECT_TRUE(syscalls_added_by(splice_patch).empty());
}

TEST(FalseCulprit, FindsAddedDefines)
{
	EXPECT_EQ(defines_added_by(openat2_patch), (std::vector<std::string>{"RESOLVE_NO_XDEV"}));
}

TEST(FalseCulprit, OpenAt2CommitWithEnosysOnGoodSideIsSuspicious)
{
	FalseCulpritInput in;
	in.culprit_patch = openat2_patch;
	in.used_names = {"openat2", "splice", "pipe2"};
	in.unavailable_on_good_side = {"openat2"};
	in.good_revisions_with_unavailable_entry = 4;
	auto f = check_false_culprit(in);
	ASSERT_TRUE(f.suspicious());
	ASSERT_EQ(f.reasons.size(), 2u);
	EXPECT_NE(f.reasons[0].find("openat2 was unavailable on 4 revision(s)"), std::string::npos) << f.reasons[0];
	EXPECT_NE(f.reasons[1].find("adds the syscall openat2"), std::string::npos) << f.reasons[1];
}

TEST(FalseCulprit, AddedSyscallTheReproducerDoesNotUseIsFine)
{
	FalseCulpritInput in;
	in.culprit_patch = openat2_patch;
	in.used_names = {"openat", "splice"};
	EXPECT_FALSE(check_false_culprit(in).suspicious());
}

TEST(FalseCulprit, AddedFlagTheReproducerUsesIsSuspicious)
{
	FalseCulpritInput in;
	in.culprit_patch = openat2_patch;
	in.used_names = {"RESOLVE_NO_XDEV"};
	auto f = check_false_culprit(in);
	ASSERT_EQ(f.reasons.size(), 1u);
	EXPECT_NE(f.reasons[0].find("flag RESOLVE_NO_XDEV"), std::string::npos);
}

TEST(FalseCulprit, RealBugFixIsNotSuspicious)
{
	FalseCulpritInput in;
	in.culprit_patch = splice_patch;
	in.used_names = {"openat2", "splice", "pipe2"};
	EXPECT_FALSE(check_false_culprit(in).suspicious());
}

// A merge's patch is the commits it brings in: the finding names the one
// that adds the syscall, and says the culprit is a merge.
TEST(FalseCulprit, MergeBringingInASyscallNamesTheCommitThatAddsIt)
{
	const std::string merge_patch = std::string("commit ") + std::string(40, 'a') +
					"\n\n    open: introduce openat2(2) syscall\n\n    body\n\n"
					"+SYSCALL_DEFINE4(openat2, int, dfd, const char __user *, filename,\n"
					"commit " +
					std::string(40, 'b') +
					"\n\n    fs/read_write: kernel-doc\n\n+ * Return: the new offset\n";
	auto secs = split_commits(merge_patch);
	ASSERT_EQ(secs.size(), 2u);
	EXPECT_EQ(secs[0].subject, "open: introduce openat2(2) syscall");
	EXPECT_EQ(secs[1].id, std::string(40, 'b'));
	auto names = names_added_by(merge_patch);
	ASSERT_EQ(names.size(), 1u);
	EXPECT_EQ(names[0].name, "openat2");
	EXPECT_EQ(names[0].commit_id, std::string(40, 'a'));

	FalseCulpritInput in;
	in.culprit_patch = merge_patch;
	in.culprit_is_merge = true;
	in.used_names = {"openat2"};
	auto f = check_false_culprit(in);
	ASSERT_EQ(f.reasons.size(), 1u);
	EXPECT_EQ(f.reasons[0], "the culprit is a merge that brings in the syscall openat2 (added by aaaaaaaaaaaa "
				"\"open: introduce openat2(2) syscall\"), which the reproducer uses");
}

// The merge explanation, without git: parents, and which of the two cases.
TEST(MergeCulprit, EntryPointArrivingOrSidesBreakingTogether)
{
	const std::string patch = "commit " + std::string(40, 'a') +
				  "\n\n    open: introduce openat2(2) syscall\n\n+SYSCALL_DEFINE4(openat2, int, dfd,\n";
	std::vector<ParentVerdict> parents(2);
	parents[0].commit = {std::string(40, '1'), "Merge branch 'splice'"};
	parents[0].tested = true;
	parents[0].detail = "openat2 returned ENOSYS, counted clean in syzbot mode";
	parents[1].commit = {std::string(40, '2'), "open: introduce openat2(2) syscall"};
	parents[1].tested = true;
	Commit merge{std::string(40, 'm'), "Merge branch 'open'"};

	auto m = explain_merge(merge, parents, patch, {"openat2"}, {"openat2"});
	ASSERT_TRUE(m.is_merge);
	EXPECT_FALSE(m.sides_break_together);
	ASSERT_EQ(m.entry_points.size(), 1u);
	ASSERT_GE(m.explanation.size(), 4u);
	EXPECT_EQ(m.explanation[1], "  first parent 111111111111 Merge branch 'splice': good (tested: openat2 "
				    "returned ENOSYS, counted clean in syzbot mode)");
	EXPECT_NE(m.explanation[3].find("openat2 arrives through this merge"), std::string::npos);

	// The same merge where openat2 was never missing (pipehang mode): both
	// sides good, so they only break together.
	auto t = explain_merge(merge, parents, patch, {"openat2"}, {});
	EXPECT_TRUE(t.sides_break_together);
	EXPECT_NE(t.explanation.back().find("only break together"), std::string::npos);

	// One parent: not a merge, nothing to explain.
	EXPECT_FALSE(explain_merge(merge, {parents[0]}, patch, {"openat2"}, {}).is_merge);
}
