// Pipe sizing and the splice family against the running kernel.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "sys/pipe.h"
#include "sys_test_dir.h"

using namespace pipehang::sys;
using pipehang::testing::TestDir;

TEST(SysPipe, MakePipeGivesTwoEnds)
{
	Pipe p;
	ASSERT_TRUE(make_pipe(p).ok());
	ASSERT_TRUE(p.read_end.valid());
	ASSERT_TRUE(p.write_end.valid());
	EXPECT_NE(::fcntl(p.read_end.get(), F_GETFD) & FD_CLOEXEC, 0);
	ASSERT_EQ(::write(p.write_end.get(), "x", 1), 1);
	char c = 0;
	ASSERT_EQ(::read(p.read_end.get(), &c, 1), 1);
	EXPECT_EQ(c, 'x');
}

TEST(SysPipe, SetSizeRoundsUpToPowerOfTwoPages)
{
	Pipe p;
	ASSERT_TRUE(make_pipe(p).ok());
	SysResult r = set_pipe_size(p.write_end.get(), 5 * page_size());
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(static_cast<std::size_t>(r.value), 8 * page_size());
	r = get_pipe_size(p.read_end.get());
	ASSERT_TRUE(r.ok());
	EXPECT_EQ(static_cast<std::size_t>(r.value), 8 * page_size());
}

TEST(SysPipe, SetSizeOnNonPipeFails)
{
	TestDir dir;
	std::string path = dir.path() + "/f";
	UniqueFd fd(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_TRUE(fd.valid());
	EXPECT_EQ(set_pipe_size(fd.get(), 65536).err, EBADF);
	EXPECT_EQ(get_pipe_size(fd.get()).err, EBADF);
}

TEST(SysPipe, WriteInChunksFillsExactlyThenEagain)
{
	Pipe p;
	ASSERT_TRUE(make_pipe(p, O_CLOEXEC | O_NONBLOCK).ok());
	const std::size_t cap = 16 * page_size();
	ASSERT_TRUE(set_pipe_size(p.write_end.get(), cap).ok());
	std::vector<char> buf(cap, 'a');
	SysResult r = write_in_chunks(p.write_end.get(), buf.data(), buf.size(), page_size());
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(static_cast<std::size_t>(r.value), cap);
	// Full: one more page cannot go in without blocking.
	EXPECT_EQ(write_in_chunks(p.write_end.get(), buf.data(), page_size(), page_size()).err, EAGAIN);
	EXPECT_EQ(write_in_chunks(p.write_end.get(), buf.data(), 1, 0).err, EINVAL);
}

TEST(SysPipe, SpliceMovesPipeIntoFileAtOffset)
{
	TestDir dir;
	std::string path = dir.path() + "/out";
	UniqueFd file(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_TRUE(file.valid());
	Pipe p;
	ASSERT_TRUE(make_pipe(p).ok());
	std::vector<char> data(2 * page_size(), 'z');
	ASSERT_TRUE(write_in_chunks(p.write_end.get(), data.data(), data.size(), page_size()).ok());
	loff_t off = static_cast<loff_t>(page_size());
	SysResult r = pipehang::sys::splice(p.read_end.get(), nullptr, file.get(), &off, data.size(), 0);
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(static_cast<std::size_t>(r.value), data.size());
	EXPECT_EQ(static_cast<std::size_t>(off), 3 * page_size());
	struct stat st {};
	ASSERT_EQ(::fstat(file.get(), &st), 0);
	EXPECT_EQ(static_cast<std::size_t>(st.st_size), 3 * page_size());
}

TEST(SysPipe, SpliceErrorsComeBackAsErrno)
{
	Pipe a, b;
	ASSERT_TRUE(make_pipe(a).ok());
	ASSERT_TRUE(make_pipe(b).ok());
	loff_t off = 0;
	// An offset on a pipe is invalid (ESPIPE).
	EXPECT_EQ(pipehang::sys::splice(a.read_end.get(), &off, b.write_end.get(), nullptr, 10, 0).err, ESPIPE);
	EXPECT_EQ(pipehang::sys::splice(-1, nullptr, b.write_end.get(), nullptr, 10, 0).err, EBADF);
}

TEST(SysPipe, VmspliceMapsUserPagesIntoPipe)
{
	Pipe p;
	ASSERT_TRUE(make_pipe(p).ok());
	const char msg[] = "hello through vmsplice";
	struct iovec iov = {const_cast<char *>(msg), sizeof msg};
	SysResult r = pipehang::sys::vmsplice(p.write_end.get(), &iov, 1, 0);
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(static_cast<std::size_t>(r.value), sizeof msg);
	char back[sizeof msg] = {};
	ASSERT_EQ(::read(p.read_end.get(), back, sizeof back), static_cast<ssize_t>(sizeof back));
	EXPECT_STREQ(back, msg);
	EXPECT_EQ(pipehang::sys::vmsplice(-1, &iov, 1, 0).err, EBADF);
}

TEST(SysPipe, PageSizeIsSane)
{
	EXPECT_GE(page_size(), 4096u);
	EXPECT_EQ(page_size() & (page_size() - 1), 0u);
}
