// openat2(2) through the raw syscall. glibc has no wrapper, and older kernel
// headers lack struct open_how and the RESOLVE_* flags, so both are defined
// here with the kernel's ABI (include/uapi/linux/openat2.h).
#pragma once

#include <cstdint>

#include "sys/result.h"

namespace pipehang::sys {

// Layout-identical to the kernel's struct open_how (version 0, 24 bytes).
struct OpenHow {
	std::uint64_t flags = 0;   // O_* flags, as for openat(2)
	std::uint64_t mode = 0;    // permission bits when O_CREAT/O_TMPFILE
	std::uint64_t resolve = 0; // kResolve* flags below
};
static_assert(sizeof(OpenHow) == 24, "struct open_how v0 is 24 bytes");

// RESOLVE_* flags (Linux 5.6; RESOLVE_CACHED 5.12).
inline constexpr std::uint64_t kResolveNoXdev = 0x01;
inline constexpr std::uint64_t kResolveNoMagiclinks = 0x02;
inline constexpr std::uint64_t kResolveNoSymlinks = 0x04;
inline constexpr std::uint64_t kResolveBeneath = 0x08;
inline constexpr std::uint64_t kResolveInRoot = 0x10;
inline constexpr std::uint64_t kResolveCached = 0x20;

// The syscall number, the same on every architecture (unified table).
inline constexpr long kSysOpenat2 = 437;

// openat2(dirfd, path, &how, sizeof how). Returns the new fd, or the errno:
// ENOSYS on kernels before 5.6 (or when a seccomp policy denies it).
SysResult openat2(int dirfd, const char *path, const OpenHow &how);

// openat(2) through libc, with the same result convention.
SysResult openat(int dirfd, const char *path, int flags, unsigned mode);

} // namespace pipehang::sys
