#include "sys/pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

namespace pipehang::sys {

SysResult make_pipe(Pipe &out, int flags)
{
	int fds[2];
	if (::pipe2(fds, flags) < 0)
		return SysResult::failure(errno);
	out.read_end.reset(fds[0]);
	out.write_end.reset(fds[1]);
	return SysResult::success(0);
}

SysResult set_pipe_size(int fd, std::size_t bytes)
{
	int ret = ::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(bytes));
	return SysResult::from_libc(ret, errno);
}

SysResult get_pipe_size(int fd)
{
	int ret = ::fcntl(fd, F_GETPIPE_SZ);
	return SysResult::from_libc(ret, errno);
}

SysResult splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, std::size_t len, unsigned flags)
{
	ssize_t ret = ::splice(fd_in, off_in, fd_out, off_out, len, flags);
	return SysResult::from_libc(ret, errno);
}

SysResult vmsplice(int fd, const struct iovec *iov, std::size_t nr_segs, unsigned flags)
{
	ssize_t ret = ::vmsplice(fd, iov, nr_segs, flags);
	return SysResult::from_libc(ret, errno);
}

SysResult write_in_chunks(int fd, const void *buf, std::size_t len, std::size_t chunk)
{
	if (chunk == 0)
		return SysResult::failure(EINVAL);
	const char *p = static_cast<const char *>(buf);
	std::size_t done = 0;
	while (done < len) {
		std::size_t n = len - done < chunk ? len - done : chunk;
		ssize_t ret = ::write(fd, p + done, n);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return SysResult::failure(errno);
		}
		// A short write into a pipe would break the one-chunk-per-buffer layout.
		if (static_cast<std::size_t>(ret) != n)
			return SysResult::failure(EIO);
		done += n;
	}
	return SysResult::success(static_cast<long>(done));
}

std::size_t page_size()
{
	static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
	return size;
}

} // namespace pipehang::sys
