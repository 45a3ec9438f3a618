#include "sys/openat2.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(SYS_openat2)
static_assert(SYS_openat2 == pipehang::sys::kSysOpenat2, "openat2 syscall number");
#endif

namespace pipehang::sys {

SysResult openat2(int dirfd, const char *path, const OpenHow &how)
{
	long ret = ::syscall(kSysOpenat2, dirfd, path, &how, sizeof how);
	return SysResult::from_libc(ret, errno);
}

SysResult openat(int dirfd, const char *path, int flags, unsigned mode)
{
	int ret = ::openat(dirfd, path, flags, mode);
	return SysResult::from_libc(ret, errno);
}

} // namespace pipehang::sys
