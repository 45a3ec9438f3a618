// `run`'s host-side check of the reproducer's flags (repro_flags.h): the
// reproducer's own parser refuses what the guest would refuse, names the
// flag at fault, and accepts what the oracle and the VM tests pass.
#include "repro_flags.h"

#include <gtest/gtest.h>

using pipehang::cli::reproducer_refuses;
using pipehang::oracle::JudgeOptions;

TEST(ReproFlags, AcceptsTheDefaultsAndWhatTheTestsPass)
{
	JudgeOptions o;
	EXPECT_EQ(reproducer_refuses(o), "");
	o.deny = {"openat2"};
	o.fallback = true;
	o.repro_args = {"--fork", "--size", "64K", "--threads=2"};
	EXPECT_EQ(reproducer_refuses(o), "");
	for (const char *fill : {"pages", "gap", "mixed"}) {
		o.fill = fill;
		EXPECT_EQ(reproducer_refuses(o), "") << fill;
	}
}

TEST(ReproFlags, NamesTheFlagTheReproducerRefuses)
{
	JudgeOptions o;
	o.deny = {"openat2", "notasyscall"};
	EXPECT_EQ(reproducer_refuses(o),
		  "--deny openat2,notasyscall: repro-splice-dio refuses it: --deny: unknown syscall 'notasyscall'");
	o.deny = {"openat2"};
	o.repro_args = {"--size", "1000"};
	std::string why = reproducer_refuses(o);
	EXPECT_EQ(why.rfind("--repro-arg --size 1000: repro-splice-dio refuses it: --size: 1000 is not a positive "
			    "multiple of the page size",
			    0),
		  0u)
		<< why;
}

// A reproducer of the user's own has flags of its own: not ours to check.
TEST(ReproFlags, LeavesOtherReproducersAlone)
{
	JudgeOptions o;
	o.repro_args = {"--bogus"};
	o.repro_file = "/tmp/my-repro.sh";
	EXPECT_EQ(reproducer_refuses(o), "");
	o.repro_file.clear();
	o.repro = "repro-pipe-bench";
	EXPECT_EQ(reproducer_refuses(o), "");
	o.repro = "repro-splice-dio";
	EXPECT_NE(reproducer_refuses(o), "");
}
