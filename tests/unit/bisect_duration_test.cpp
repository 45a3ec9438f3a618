#include "bisect/duration.h"

#include <gtest/gtest.h>

using pipehang::bisect::format_duration;

TEST(BisectDuration, PrintsLikeSyzbot)
{
	EXPECT_EQ(format_duration(21177), "5h52m57s");
	EXPECT_EQ(format_duration(372), "6m12s");
	EXPECT_EQ(format_duration(41.4), "41s");
	EXPECT_EQ(format_duration(0), "0s");
	EXPECT_EQ(format_duration(-3), "0s");
	EXPECT_EQ(format_duration(3600), "1h00m00s");
}
