// The hang itself, on the host: with write bandwidth to a loop-mounted ext4
// capped by blkio, splice() into the O_DIRECT file holds pipe->mutex for
// seconds and the concurrent close() of the pipe's write end waits for it in
// pipe_release(). This proves the reproducer's close really happens during
// the splice and really blocks, and that the --time-limit watchdog reports a
// blocked close instead of hanging.
#include <errno.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "blkio_throttle.h"
#include "process_runner.h"
#include "scratch_fs.h"

using namespace pipehang::testing;
using nlohmann::json;

namespace {

const std::string kRepro = std::string(PIPEHANG_BIN_DIR) + "/repro-splice-dio";
// The splice lasts seconds here; a generous close delay keeps the race
// (splicer takes pipe->mutex first) won even on a heavily loaded machine.
const char *const kDelay = "300";

class ReproThrottled : public ::testing::Test {
protected:
	// bps: the write cap; 1 MiB of O_DIRECT data then takes 1 MiB / bps seconds.
	void start(unsigned long long bps)
	{
		fs_ = std::make_unique<ScratchFs>(ScratchFs::Kind::kExt4Loop);
		if (!fs_->ok())
			GTEST_SKIP() << fs_->skip_reason();
		throttle_ = std::make_unique<BlkioThrottle>(fs_->device_numbers(), bps);
		if (!throttle_->ok())
			GTEST_SKIP() << throttle_->skip_reason();
	}
	ProcessResult run(std::vector<std::string> args, double timeout_s)
	{
		args.insert(args.begin(), kRepro);
		RunOptions options;
		options.timeout_s = timeout_s;
		options.cgroup_procs = throttle_->procs_file();
		return run_process(args, options);
	}
	// Destruction order: the throttle group goes after the mount is released.
	std::unique_ptr<ScratchFs> fs_;
	std::unique_ptr<BlkioThrottle> throttle_;
	void TearDown() override
	{
		throttle_.reset();
		fs_.reset();
	}
};

json single_line(const ProcessResult &p)
{
	auto lines = p.out_lines();
	EXPECT_EQ(lines.size(), 1u) << p.out << p.err;
	if (lines.empty())
		return json::object();
	return json::parse(lines[0]);
}

void expect_close_waited_for_splice(const ProcessResult &p)
{
	ASSERT_FALSE(p.timed_out) << p.err;
	ASSERT_EQ(p.exit_code, 0) << p.out << p.err;
	json j = single_line(p);
	EXPECT_TRUE(j["exercised"].get<bool>()) << j.dump();
	EXPECT_TRUE(j["overlap"].get<bool>()) << j.dump();
	// 1 MiB at 512 KiB/s: about 2 s inside splice(), and close() stuck behind it.
	EXPECT_GE(j["splice_ms"].get<double>(), 1200.0) << j.dump();
	EXPECT_GE(j["close_ms"].get<double>(), 1000.0) << "close() did not wait for pipe->mutex: " << j.dump();
	EXPECT_LE(j["close_ms"].get<double>(), j["splice_ms"].get<double>() + 50.0) << j.dump();
	// The default --fill mixed: one page of the pipe is the empty buffer.
	EXPECT_EQ(j["bytes_spliced"].get<long long>(), (1 << 20) - ::sysconf(_SC_PAGESIZE)) << j.dump();
}

TEST_F(ReproThrottled, CloseBlocksInPipeReleaseWhileSpliceWrites)
{
	start(512 * 1024);
	expect_close_waited_for_splice(
		run({"--dir", fs_->mount_point(), "--close-delay-ms", kDelay, "--time-limit", "30"}, 60));
}

TEST_F(ReproThrottled, ForkedCloserBlocksToo)
{
	start(512 * 1024);
	expect_close_waited_for_splice(
		run({"--dir", fs_->mount_point(), "--fork", "--close-delay-ms", kDelay, "--time-limit", "30"}, 60));
}

TEST_F(ReproThrottled, IoUringSpliceWorkerHoldsTheMutexToo)
{
	start(512 * 1024);
	ProcessResult p = run({"--dir", fs_->mount_point(), "--splice-via", "io_uring", "--close-delay-ms", "500",
			       "--time-limit", "30"},
			      60);
	if (p.exit_code == 4)
		GTEST_SKIP() << "io_uring splice unavailable: " << p.err;
	expect_close_waited_for_splice(p);
}

TEST_F(ReproThrottled, TimeLimitReportsTheBlockedCloseAndExits1)
{
	start(256 * 1024); // about 4 s of splice for 1 MiB
	ProcessResult p = run({"--dir", fs_->mount_point(), "--close-delay-ms", kDelay, "--time-limit", "1.5"}, 60);
	ASSERT_FALSE(p.timed_out) << "the watchdog did not end the run: " << p.err;
	EXPECT_EQ(p.exit_code, 1) << p.out << p.err;
	json j = single_line(p);
	EXPECT_TRUE(j["timed_out"].get<bool>()) << j.dump();
	EXPECT_EQ(j["failed_step"], "close") << j.dump();
	EXPECT_EQ(j["errno"].get<int>(), ETIMEDOUT);
	EXPECT_EQ(j["error"], "ETIMEDOUT");
	EXPECT_EQ(j["reason_code"], "TIME_LIMIT");
	// Blocked inside splice() on O_DIRECT ext4 is the exercised state.
	EXPECT_TRUE(j["exercised"].get<bool>()) << j.dump();
	EXPECT_GE(j["close_ms"].get<double>(), 800.0) << j.dump();
	EXPECT_NE(p.err.find("TIME_LIMIT"), std::string::npos);
	// The watchdog removes the target; the tree holds only lost+found.
	for (const auto &e : std::filesystem::directory_iterator(fs_->mount_point()))
		EXPECT_EQ(e.path().filename(), "lost+found") << "left behind: " << e.path();
}

} // namespace
