// errno names are what the oracle matches on ("reason ENOSYS"), so they must
// be the symbolic names, stable whatever the locale.
#include <errno.h>
#include <gtest/gtest.h>

#include "sys/errno_name.h"

using pipehang::sys::errno_name;
using pipehang::sys::errno_text;

TEST(SysErrno, NamesCommonErrnos)
{
	EXPECT_EQ(errno_name(ENOSYS), "ENOSYS");
	EXPECT_EQ(errno_name(EINVAL), "EINVAL");
	EXPECT_EQ(errno_name(ETIMEDOUT), "ETIMEDOUT");
	EXPECT_EQ(errno_name(EPERM), "EPERM");
}

TEST(SysErrno, ZeroAndUnknown)
{
	EXPECT_EQ(errno_name(0), "OK");
	EXPECT_EQ(errno_name(9999), "E9999");
	EXPECT_FALSE(errno_text(9999).empty());
}

TEST(SysErrno, TextIsHumanReadable)
{
	EXPECT_EQ(errno_text(ENOENT), "No such file or directory");
}
