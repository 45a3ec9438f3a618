// io_uring through liburing: just what the reproducer needs to reach the same
// kernel paths without the openat2/splice syscalls (IORING_OP_OPENAT2,
// IORING_OP_OPENAT, IORING_OP_SPLICE). io_uring ops are not seen by seccomp
// filters on the syscall they replace, which is exactly why it is an entry
// point worth having: denying openat2 does not deny IORING_OP_OPENAT2.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>

#include "sys/openat2.h"
#include "sys/result.h"

struct io_uring;
struct io_uring_probe;

namespace pipehang::sys {

// The IORING_OP_* values used here (uapi ABI, checked against liburing).
inline constexpr int kUringOpOpenat = 18;
inline constexpr int kUringOpOpenat2 = 28;
inline constexpr int kUringOpSplice = 30;

class Uring {
public:
	Uring();
	~Uring();
	Uring(const Uring &) = delete;
	Uring &operator=(const Uring &) = delete;

	// io_uring_setup with `entries` slots. ENOSYS before Linux 5.1 or when
	// denied by seccomp; EPERM when kernel.io_uring_disabled forbids it.
	SysResult init(unsigned entries = 8);
	bool ready() const { return ready_; }

	// Whether the running kernel implements opcode (IORING_OP_*), from
	// IORING_REGISTER_PROBE. False when the probe itself is unsupported (< 5.6).
	bool supports(int opcode) const;

	// Each submits one request and waits for its completion (bounded by
	// timeout_ms; ETIME if the kernel does not complete it in time).
	SysResult openat2(int dirfd, const char *path, const OpenHow &how, int timeout_ms);
	SysResult openat(int dirfd, const char *path, int flags, unsigned mode, int timeout_ms);
	// off_in/off_out: -1 means "use the file position" (a pipe must use -1).
	SysResult splice(int fd_in, loff_t off_in, int fd_out, loff_t off_out, std::size_t len, unsigned flags,
			 int timeout_ms);

private:
	SysResult submit_and_wait(int timeout_ms);

	std::unique_ptr<io_uring> ring_;
	io_uring_probe *probe_ = nullptr;
	bool ready_ = false;
};

// Name of an IORING_OP_* value, for messages ("IORING_OP_OPENAT2").
std::string uring_op_name(int opcode);

} // namespace pipehang::sys
