// Which filesystem holds a path. statfs(2) gives the superblock magic, but
// ext2/ext3/ext4 share one magic (0xEF53), so the mount table
// (/proc/self/mountinfo) is consulted for the real type name when available.
// The reproducer refuses to call a run "exercised" unless the target is ext4.
#pragma once

#include <cstdint>
#include <string>

#include "sys/result.h"

namespace pipehang::sys {

inline constexpr std::uint64_t kExt4SuperMagic = 0xEF53; // also ext2, ext3
inline constexpr std::uint64_t kTmpfsMagic = 0x01021994;
inline constexpr std::uint64_t kRamfsMagic = 0x858458f6;
inline constexpr std::uint64_t kXfsMagic = 0x58465342;
inline constexpr std::uint64_t kBtrfsMagic = 0x9123683E;
inline constexpr std::uint64_t kOverlayfsMagic = 0x794c7630;
inline constexpr std::uint64_t kNfsMagic = 0x6969;
inline constexpr std::uint64_t kProcMagic = 0x9fa0;
inline constexpr std::uint64_t kSysfsMagic = 0x62656572;
inline constexpr std::uint64_t kF2fsMagic = 0xF2F52010;
inline constexpr std::uint64_t kVfatMagic = 0x4d44;
inline constexpr std::uint64_t kFuseMagic = 0x65735546;
inline constexpr std::uint64_t kNtfsMagic = 0x5346544e; // ntfs3

struct FsInfo {
	std::uint64_t magic = 0;
	std::string magic_name;       // from the magic: "ext2/ext3/ext4", "tmpfs", "unknown"
	std::string mount_type;       // from mountinfo: "ext4"; empty when unavailable
	std::string mount_point;      // from mountinfo; empty when unavailable
	std::uint64_t block_size = 0; // statfs f_bsize

	// Best single name: the mount table's type when known, else magic_name.
	std::string name() const { return mount_type.empty() ? magic_name : mount_type; }
	// True when the ext4 driver serves this filesystem and nothing says it is
	// mounted as ext2/ext3.
	bool is_ext4() const { return magic == kExt4SuperMagic && (mount_type.empty() || mount_type == "ext4"); }
};

// Name for a statfs magic ("tmpfs"), or "unknown(0x...)".
std::string fs_magic_name(std::uint64_t magic);

// fstatfs + fstat of an open fd (a directory), then the first mountinfo line
// with the same device (bind mounts of one device share a type). Fails only
// if fstatfs/fstat fail; a missing /proc leaves mount_type empty.
SysResult detect_fs(int fd, FsInfo &out);

// Pure parser, exposed for tests: finds the fs type of the mountinfo line
// whose major:minor equals dev_major:dev_minor. Returns false if none.
bool mountinfo_lookup(const std::string &mountinfo_text, unsigned dev_major, unsigned dev_minor, std::string &fs_type,
		      std::string &mount_point);

} // namespace pipehang::sys
