#include "sys/fs_detect.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

namespace pipehang::sys {

std::string fs_magic_name(std::uint64_t magic)
{
	switch (magic) {
	case kExt4SuperMagic: return "ext2/ext3/ext4";
	case kTmpfsMagic: return "tmpfs";
	case kRamfsMagic: return "ramfs";
	case kXfsMagic: return "xfs";
	case kBtrfsMagic: return "btrfs";
	case kOverlayfsMagic: return "overlayfs";
	case kNfsMagic: return "nfs";
	case kProcMagic: return "proc";
	case kSysfsMagic: return "sysfs";
	case kF2fsMagic: return "f2fs";
	case kVfatMagic: return "vfat";
	case kFuseMagic: return "fuse";
	case kNtfsMagic: return "ntfs3";
	}
	char buf[32];
	std::snprintf(buf, sizeof buf, "unknown(0x%llx)", static_cast<unsigned long long>(magic));
	return buf;
}

// mountinfo escapes space, tab, newline and backslash as \ooo octal.
static std::string unescape_mountinfo(const std::string &s)
{
	std::string out;
	for (std::size_t i = 0; i < s.size(); ++i) {
		if (s[i] == '\\' && i + 3 < s.size()) {
			const char a = s[i + 1], b = s[i + 2], c = s[i + 3];
			if (a >= '0' && a <= '3' && b >= '0' && b <= '7' && c >= '0' && c <= '7') {
				out.push_back(static_cast<char>((a - '0') * 64 + (b - '0') * 8 + (c - '0')));
				i += 3;
				continue;
			}
		}
		out.push_back(s[i]);
	}
	return out;
}

bool mountinfo_lookup(const std::string &mountinfo_text, unsigned dev_major, unsigned dev_minor, std::string &fs_type,
		      std::string &mount_point)
{
	std::istringstream lines(mountinfo_text);
	std::string line;
	const std::string want = std::to_string(dev_major) + ":" + std::to_string(dev_minor);
	while (std::getline(lines, line)) {
		std::istringstream fields(line);
		std::string id, parent, devno, root, point;
		if (!(fields >> id >> parent >> devno >> root >> point))
			continue;
		if (devno != want)
			continue;
		// Skip the mount options and optional fields up to the "-" separator;
		// the filesystem type follows it.
		std::string field;
		bool found_separator = false;
		while (fields >> field) {
			if (field == "-") {
				found_separator = true;
				break;
			}
		}
		std::string type;
		if (!found_separator || !(fields >> type))
			continue;
		fs_type = type;
		mount_point = unescape_mountinfo(point);
		return true;
	}
	return false;
}

static std::string read_small_file(const char *path)
{
	std::string text;
	int fd = ::open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return text;
	char buf[4096];
	for (;;) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		text.append(buf, static_cast<std::size_t>(n));
		if (text.size() > (8u << 20))
			break; // a mount table this big is not plausible
	}
	::close(fd);
	return text;
}

SysResult detect_fs(int fd, FsInfo &out)
{
	struct statfs sfs {};
	if (::fstatfs(fd, &sfs) < 0)
		return SysResult::failure(errno);
	struct stat st {};
	if (::fstat(fd, &st) < 0)
		return SysResult::failure(errno);
	out = FsInfo{};
	out.magic = static_cast<std::uint64_t>(sfs.f_type) & 0xffffffffu;
	out.magic_name = fs_magic_name(out.magic);
	out.block_size = static_cast<std::uint64_t>(sfs.f_bsize);
	const std::string table = read_small_file("/proc/self/mountinfo");
	if (!table.empty()) {
		mountinfo_lookup(table, major(st.st_dev), minor(st.st_dev), out.mount_type, out.mount_point);
	}
	return SysResult::success(0);
}

} // namespace pipehang::sys
