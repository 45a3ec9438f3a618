// io_uring wrapper against the running kernel: open and splice through the
// ring, and a request that cannot complete must not hang the caller.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sys/clock.h"
#include "sys/pipe.h"
#include "sys/uring.h"
#include "sys_test_dir.h"

using namespace pipehang::sys;
using pipehang::testing::TestDir;

namespace {

class SysUring : public ::testing::Test {
protected:
	void SetUp() override
	{
		SysResult r = ring_.init(8);
		if (!r.ok())
			GTEST_SKIP() << "io_uring unavailable here: io_uring_setup errno " << r.err;
		ASSERT_TRUE(dir_.ok());
		dirfd_.reset(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
		ASSERT_TRUE(dirfd_.valid());
	}
	Uring ring_;
	TestDir dir_;
	UniqueFd dirfd_;
};

TEST(SysUringNames, OpcodeNames)
{
	EXPECT_EQ(uring_op_name(kUringOpOpenat2), "IORING_OP_OPENAT2");
	EXPECT_EQ(uring_op_name(kUringOpSplice), "IORING_OP_SPLICE");
	EXPECT_EQ(uring_op_name(200), "IORING_OP_200");
}

TEST(SysUringNames, UseBeforeInitFails)
{
	Uring ring;
	EXPECT_FALSE(ring.ready());
	EXPECT_FALSE(ring.supports(kUringOpOpenat));
	OpenHow how;
	EXPECT_EQ(ring.openat2(AT_FDCWD, ".", how, 100).err, EBADF);
}

TEST_F(SysUring, ProbeAnswersForRealAndBogusOps)
{
	EXPECT_TRUE(ring_.ready());
	EXPECT_FALSE(ring_.supports(250)); // no such opcode
}

TEST_F(SysUring, Openat2CreatesFile)
{
	if (!ring_.supports(kUringOpOpenat2))
		GTEST_SKIP() << "kernel lacks IORING_OP_OPENAT2";
	OpenHow how;
	how.flags = O_WRONLY | O_CREAT | O_CLOEXEC;
	how.mode = 0600;
	how.resolve = kResolveBeneath;
	SysResult r = ring_.openat2(dirfd_.get(), "via-uring", how, 5000);
	ASSERT_TRUE(r.ok()) << r.err;
	::close(static_cast<int>(r.value));
	EXPECT_EQ(::faccessat(dirfd_.get(), "via-uring", F_OK, 0), 0);
	// Errors come back as errno: RESOLVE_BENEATH forbids "..".
	how.flags = O_RDONLY | O_DIRECTORY;
	how.mode = 0;
	EXPECT_EQ(ring_.openat2(dirfd_.get(), "..", how, 5000).err, EXDEV);
}

TEST_F(SysUring, OpenatReportsEnoent)
{
	if (!ring_.supports(kUringOpOpenat))
		GTEST_SKIP() << "kernel lacks IORING_OP_OPENAT";
	EXPECT_EQ(ring_.openat(dirfd_.get(), "missing", O_RDONLY, 0, 5000).err, ENOENT);
}

TEST_F(SysUring, SpliceFromPipeIntoFile)
{
	if (!ring_.supports(kUringOpSplice))
		GTEST_SKIP() << "kernel lacks IORING_OP_SPLICE";
	UniqueFd file(::openat(dirfd_.get(), "spliced", O_CREAT | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_TRUE(file.valid());
	Pipe p;
	ASSERT_TRUE(make_pipe(p).ok());
	std::vector<char> data(page_size(), 'q');
	ASSERT_TRUE(write_in_chunks(p.write_end.get(), data.data(), data.size(), data.size()).ok());
	SysResult r = ring_.splice(p.read_end.get(), -1, file.get(), 0, data.size(), 0, 5000);
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(static_cast<std::size_t>(r.value), data.size());
	struct stat st {};
	ASSERT_EQ(::fstat(file.get(), &st), 0);
	EXPECT_EQ(static_cast<std::size_t>(st.st_size), data.size());
}

TEST_F(SysUring, WaitIsBoundedWhenRequestCannotComplete)
{
	if (!ring_.supports(kUringOpSplice))
		GTEST_SKIP() << "kernel lacks IORING_OP_SPLICE";
	// An empty pipe with a live writer: the splice can never complete.
	Pipe src, dst;
	ASSERT_TRUE(make_pipe(src).ok());
	ASSERT_TRUE(make_pipe(dst).ok());
	const double t0 = monotonic_ms();
	SysResult r = ring_.splice(src.read_end.get(), -1, dst.write_end.get(), -1, 4096, 0, 200);
	const double waited = monotonic_ms() - t0;
	EXPECT_EQ(r.err, ETIME);
	EXPECT_GE(waited, 150.0);
	EXPECT_LT(waited, 5000.0);
	// Closing the writer lets the in-flight request finish before teardown.
	src.write_end.reset();
}

} // namespace
