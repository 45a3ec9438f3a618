// build-kernel.sh --result-file, as the oracle reads it (build_result.h).
#include "bisect/build_result.h"

#include <gtest/gtest.h>

using namespace pipehang::bisect;

TEST(BuildResult, ReadsEveryKey)
{
	auto r = parse_build_result("status=config-unusable\nexit=3\nlog=/t/pipehang-build.log\n"
				    "missing=CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m)\n"
				    "missing=CONFIG_EXT4_FS=y (is: )\n");
	ASSERT_TRUE(r);
	EXPECT_EQ(r->status, "config-unusable");
	EXPECT_EQ(r->exit_code, 3);
	EXPECT_EQ(r->log, "/t/pipehang-build.log");
	ASSERT_EQ(r->missing.size(), 2u);
	EXPECT_EQ(r->missing[0], "CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m)"); // '=' inside the value kept
	EXPECT_EQ(r->missing[1], "CONFIG_EXT4_FS=y (is: )");
}

TEST(BuildResult, RestoredNamesTheCacheEntry)
{
	auto r = parse_build_result("status=restored\nexit=0\nrestored_from=/c/kernel-builds/ab\n");
	ASSERT_TRUE(r);
	EXPECT_EQ(r->status, "restored");
	EXPECT_EQ(r->exit_code, 0);
	EXPECT_EQ(r->restored_from, "/c/kernel-builds/ab");
	EXPECT_TRUE(r->missing.empty());
}

TEST(BuildResult, UnknownKeysAndJunkAreIgnored)
{
	auto r = parse_build_result("status=built\nexit=0\nfuture_key=x\nno equals sign\n");
	ASSERT_TRUE(r);
	EXPECT_EQ(r->status, "built");
}

TEST(BuildResult, NoStatusIsNoResult)
{
	EXPECT_FALSE(parse_build_result(""));
	EXPECT_FALSE(parse_build_result("exit=1\n"));
	EXPECT_FALSE(read_build_result("/nonexistent/pipehang-build-result"));
}
