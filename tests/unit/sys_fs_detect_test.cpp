// Filesystem detection: the mountinfo parser on fixed text, and detect_fs on
// filesystems every Linux host has (proc, and whatever holds /var/tmp).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <string>

#include "sys/fs_detect.h"
#include "sys/unique_fd.h"

using namespace pipehang::sys;

namespace {

const char *kMountinfo = "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
			 "23 22 0:21 / /proc rw,nosuid shared:12 - proc proc rw\n"
			 "40 22 0:35 / /mnt/with\\040space rw,relatime shared:20 master:3 - tmpfs tmpfs rw,size=1024k\n"
			 "41 22 7:0 / /mnt/img rw,relatime - ext3 /dev/loop0 rw\n"
			 "garbage line\n";

TEST(SysFsDetect, MountinfoFindsTypeByDevice)
{
	std::string type, point;
	ASSERT_TRUE(mountinfo_lookup(kMountinfo, 254, 0, type, point));
	EXPECT_EQ(type, "ext4");
	EXPECT_EQ(point, "/");
	ASSERT_TRUE(mountinfo_lookup(kMountinfo, 7, 0, type, point));
	EXPECT_EQ(type, "ext3");
}

TEST(SysFsDetect, MountinfoSkipsOptionalFieldsAndUnescapes)
{
	std::string type, point;
	ASSERT_TRUE(mountinfo_lookup(kMountinfo, 0, 35, type, point));
	EXPECT_EQ(type, "tmpfs");
	EXPECT_EQ(point, "/mnt/with space");
}

TEST(SysFsDetect, MountinfoMissingDevice)
{
	std::string type = "unchanged", point;
	EXPECT_FALSE(mountinfo_lookup(kMountinfo, 8, 1, type, point));
	EXPECT_EQ(type, "unchanged");
	EXPECT_FALSE(mountinfo_lookup("", 254, 0, type, point));
}

TEST(SysFsDetect, Ext4NeedsMagicAndMountType)
{
	FsInfo fs;
	fs.magic = kExt4SuperMagic;
	EXPECT_TRUE(fs.is_ext4()); // no mount table: the magic is all we know
	fs.mount_type = "ext4";
	EXPECT_TRUE(fs.is_ext4());
	fs.mount_type = "ext3";
	EXPECT_FALSE(fs.is_ext4());
	EXPECT_EQ(fs.name(), "ext3");
	fs.magic = kTmpfsMagic;
	fs.mount_type = "ext4"; // inconsistent data must not pass
	EXPECT_FALSE(fs.is_ext4());
}

TEST(SysFsDetect, MagicNames)
{
	EXPECT_EQ(fs_magic_name(kTmpfsMagic), "tmpfs");
	EXPECT_EQ(fs_magic_name(kRamfsMagic), "ramfs");
	EXPECT_EQ(fs_magic_name(kExt4SuperMagic), "ext2/ext3/ext4");
	EXPECT_EQ(fs_magic_name(0x1234), "unknown(0x1234)");
}

TEST(SysFsDetect, DetectsProc)
{
	UniqueFd fd(::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_TRUE(fd.valid());
	FsInfo fs;
	ASSERT_TRUE(detect_fs(fd.get(), fs).ok());
	EXPECT_EQ(fs.magic, kProcMagic);
	EXPECT_EQ(fs.name(), "proc");
	EXPECT_FALSE(fs.is_ext4());
}

TEST(SysFsDetect, AgreesWithStatfsOnVarTmp)
{
	UniqueFd fd(::open("/var/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_TRUE(fd.valid());
	struct statfs sfs {};
	ASSERT_EQ(::fstatfs(fd.get(), &sfs), 0);
	FsInfo fs;
	ASSERT_TRUE(detect_fs(fd.get(), fs).ok());
	EXPECT_EQ(fs.magic, static_cast<std::uint64_t>(sfs.f_type) & 0xffffffffu);
	EXPECT_GT(fs.block_size, 0u);
	EXPECT_FALSE(fs.mount_type.empty()) << "/proc/self/mountinfo should name the type";
	if (fs.magic == kExt4SuperMagic && fs.mount_type == "ext4") {
		EXPECT_TRUE(fs.is_ext4());
	}
}

TEST(SysFsDetect, BadFdFails)
{
	FsInfo fs;
	EXPECT_EQ(detect_fs(-1, fs).err, EBADF);
}

} // namespace
