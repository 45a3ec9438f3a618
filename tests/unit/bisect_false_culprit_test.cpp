// The false-culprit check on real-looking patches.
#include "bisect/false_culprit.h"

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
