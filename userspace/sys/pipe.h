// Pipes and the splice family: creating a pipe, sizing it (F_SETPIPE_SZ), and
// moving data with splice(2)/vmsplice(2). The reproducer needs a pipe whose
// buffers are whole pages so a splice into an O_DIRECT file stays aligned.
#pragma once

#include <fcntl.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

#include "sys/result.h"
#include "sys/unique_fd.h"

namespace pipehang::sys {

struct Pipe {
	UniqueFd read_end;
	UniqueFd write_end;
};

// pipe2(2) with flags (O_CLOEXEC, O_NONBLOCK, O_DIRECT). On failure err is set
// and both ends are invalid.
SysResult make_pipe(Pipe &out, int flags = O_CLOEXEC);

// F_SETPIPE_SZ: the kernel rounds up to a power-of-two number of pages and
// returns the capacity it chose. EPERM above /proc/sys/fs/pipe-max-size for an
// unprivileged caller; EBUSY if the pipe holds more than the new size.
SysResult set_pipe_size(int fd, std::size_t bytes);
// F_GETPIPE_SZ: the pipe's capacity in bytes.
SysResult get_pipe_size(int fd);

// splice(2). off_in/off_out may be null (use and advance the file position).
SysResult splice(int fd_in, loff_t *off_in, int fd_out, loff_t *off_out, std::size_t len, unsigned flags);
// vmsplice(2): map user pages into a pipe (or copy them out of one).
SysResult vmsplice(int fd, const struct iovec *iov, std::size_t nr_segs, unsigned flags);

// Writes all of buf into fd in chunk-sized write(2) calls, so each pipe buffer
// holds exactly one chunk. Stops at the first error (EAGAIN on a full
// non-blocking pipe). value is the byte count written on success.
SysResult write_in_chunks(int fd, const void *buf, std::size_t len, std::size_t chunk);

// The system's page size (sysconf), cached.
std::size_t page_size();

} // namespace pipehang::sys
