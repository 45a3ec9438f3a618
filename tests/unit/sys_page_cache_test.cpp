// resident_pages: buffered writes leave the file in the page cache, direct
// I/O does not. The reproducer's "exercised" depends on telling them apart.
#include <errno.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "sys/fs_detect.h"
#include "sys/page_cache.h"
#include "sys/pipe.h"
#include "sys/unique_fd.h"
#include "sys_test_dir.h"

using namespace pipehang::sys;
using pipehang::testing::TestDir;

TEST(SysPageCache, BufferedWriteIsResident)
{
	TestDir dir;
	std::string path = dir.path() + "/buffered";
	UniqueFd fd(::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_TRUE(fd.valid());
	std::vector<char> data(4 * page_size(), 'b');
	ASSERT_EQ(::write(fd.get(), data.data(), data.size()), static_cast<ssize_t>(data.size()));
	SysResult r = resident_pages(fd.get(), data.size());
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(r.value, 4);
}

TEST(SysPageCache, DirectWriteIsNotResidentOnExt4)
{
	TestDir dir;
	UniqueFd dfd(::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	FsInfo fs;
	ASSERT_TRUE(detect_fs(dfd.get(), fs).ok());
	if (!fs.is_ext4())
		GTEST_SKIP() << "/var/tmp is " << fs.name() << ": direct I/O behaviour differs";
	std::string path = dir.path() + "/direct";
	UniqueFd fd(::open(path.c_str(), O_CREAT | O_RDWR | O_DIRECT | O_CLOEXEC, 0600));
	ASSERT_TRUE(fd.valid()) << errno;
	void *buf = nullptr;
	ASSERT_EQ(::posix_memalign(&buf, page_size(), 4 * page_size()), 0);
	std::fill_n(static_cast<char *>(buf), 4 * page_size(), 'd');
	ssize_t n = ::write(fd.get(), buf, 4 * page_size());
	std::free(buf);
	ASSERT_EQ(n, static_cast<ssize_t>(4 * page_size()));
	SysResult r = resident_pages(fd.get(), 4 * page_size());
	ASSERT_TRUE(r.ok()) << r.err;
	EXPECT_EQ(r.value, 0);
}

TEST(SysPageCache, EmptyAndBadFd)
{
	EXPECT_EQ(resident_pages(-1, 0).value, 0);
	EXPECT_EQ(resident_pages(-1, 4096).err, EBADF);
}
