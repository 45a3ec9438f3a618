// Where the pipe->mutex holder is, as the verdict line names it
// (report/holder_frames.h), on real consoles: a holder spinning on a CPU
// (the real zero-length-bvec bug), one asleep behind a throttled disk, and
// the kernel's own 6.15+ owner line, whose stack starts in the scheduler.
#include "report/classifier.h"
#include "report/holder.h"
#include "report/holder_frames.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace pipehang::report;
using Frames = std::vector<std::string>;

namespace {

std::string slurp(const std::string &rel)
{
	std::ifstream in(std::string(PIPEHANG_TEST_DATA) + "/" + rel, std::ios::binary);
	EXPECT_TRUE(in) << rel;
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// The first report of LOG titled TITLE whose holder is named.
Report first_with_holder(const std::string &log, const std::string &title)
{
	for (auto &r : classify(log))
		if (r.title == title && !report_holder(r).empty())
			return r;
	ADD_FAILURE() << "no report '" << title << "' naming a holder";
	return {};
}

TEST(HolderFrames, SpinningHolderNamesTheLoopAndTheSplice)
{
	Report r = first_with_holder(slurp("holder/spin-demo-6.1.log"), "INFO: task hung in pipe_release");
	EXPECT_EQ(r.fields["holder_state"], "running");
	// do_iter_readv_writev and do_iter_write (VFS dispatch) are passed over.
	EXPECT_EQ(holder_frames(r), (Frames{"iov_iter_alignment", "ext4_file_write_iter", "iter_file_splice_write"}));
	EXPECT_EQ(report_holder(r), "ph-splice-0/94, held 1209 ms, running on a CPU in iov_iter_alignment <- "
				    "ext4_file_write_iter <- iter_file_splice_write");
}

TEST(HolderFrames, SleepingHolderNamesTheDirectIoWait)
{
	Report r =
		first_with_holder(slurp("console/real-6.1-pipehang-throttled.log"), "INFO: task hung in pipe_release");
	EXPECT_EQ(holder_frames(r), (Frames{"__iomap_dio_rw", "iomap_dio_rw", "ext4_file_write_iter"}));
	EXPECT_EQ(report_holder(r), "repro-splice-di/160, held 1112 ms, in __iomap_dio_rw <- iomap_dio_rw <- "
				    "ext4_file_write_iter");
}

TEST(HolderFrames, KernelOwnerLineSkipsTheScheduler)
{
	// __schedule, schedule, io_schedule come first on a sleeping task's stack.
	Report r = first_with_holder(slurp("console/hand-hung-blocker-owner.log"), "INFO: task hung in pipe_release");
	EXPECT_EQ(holder_frames(r), (Frames{"__iomap_dio_rw", "iomap_dio_rw", "ext4_dio_write_iter"}));
	EXPECT_EQ(report_holder(r), "ph-splice-0/1200, in __iomap_dio_rw <- iomap_dio_rw <- ext4_dio_write_iter "
				    "(kernel hung-task report)");
}

TEST(HolderFrames, TheHoldModulesKthreadIsItsOwnFunction)
{
	// pipewatch's test hold: kthread and ret_from_fork are glue.
	Report r = first_with_holder(slurp("console/real-6.1-pipehang-hold.log"), "INFO: task hung in pipe_release");
	EXPECT_EQ(holder_frames(r), (Frames{"pw_hold_fn"}));
}

TEST(HolderFrames, LockingEntryAndTrampolinesArePassedOver)
{
	Frames stack = {"native_queued_spin_lock_slowpath",
			"_raw_spin_lock",
			"__mutex_lock",
			"mutex_lock",
			"__x86_return_thunk",
			"iov_iter_alignment",
			"do_iter_write",
			"ext4_dio_write_iter",
			"iter_file_splice_write",
			"do_splice",
			"do_syscall_64",
			"entry_SYSCALL_64_after_hwframe"};
	EXPECT_EQ(telling_frames(stack),
		  (Frames{"iov_iter_alignment", "ext4_dio_write_iter", "iter_file_splice_write"}));
	EXPECT_EQ(telling_frames(stack, 5),
		  (Frames{"iov_iter_alignment", "ext4_dio_write_iter", "iter_file_splice_write", "do_splice"}));
	EXPECT_TRUE(telling_frames({"__schedule", "schedule", "entry_SYSCALL_64"}).empty());
	EXPECT_EQ(frames_line({"a", "b", "c"}), "a <- b <- c");
	EXPECT_EQ(frames_line({}), "");
}

TEST(HolderFrames, NoHolderStackNoFrames)
{
	Report r;
	r.source = "pipewatch";
	r.fields = {{"holder", "x/1"}, {"held_ms", "5"}, {"holder_state", "sleeping"}};
	EXPECT_TRUE(holder_frames(r).empty());
	EXPECT_EQ(report_holder(r), "x/1, held 5 ms, sleeping"); // unchanged without a stack
}

} // namespace
