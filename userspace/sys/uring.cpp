#include "sys/uring.h"

#include <errno.h>
#include <liburing.h>

#include <cstring>

namespace pipehang::sys {

static_assert(sizeof(OpenHow) == sizeof(struct open_how), "OpenHow matches struct open_how");
static_assert(kUringOpOpenat == IORING_OP_OPENAT);
static_assert(kUringOpOpenat2 == IORING_OP_OPENAT2);
static_assert(kUringOpSplice == IORING_OP_SPLICE);

Uring::Uring() : ring_(std::make_unique<io_uring>())
{
	std::memset(ring_.get(), 0, sizeof(io_uring));
}

Uring::~Uring()
{
	if (probe_)
		io_uring_free_probe(probe_);
	if (ready_)
		io_uring_queue_exit(ring_.get());
}

SysResult Uring::init(unsigned entries)
{
	if (ready_)
		return SysResult::success(0);
	int ret = io_uring_queue_init(entries, ring_.get(), 0);
	if (ret < 0)
		return SysResult::failure(-ret);
	ready_ = true;
	// A NULL probe means IORING_REGISTER_PROBE is missing: treat every opcode
	// as unsupported rather than guessing.
	probe_ = io_uring_get_probe_ring(ring_.get());
	return SysResult::success(0);
}

bool Uring::supports(int opcode) const
{
	return probe_ != nullptr && io_uring_opcode_supported(probe_, opcode);
}

SysResult Uring::submit_and_wait(int timeout_ms)
{
	int ret = io_uring_submit(ring_.get());
	if (ret < 0)
		return SysResult::failure(-ret);
	if (ret != 1)
		return SysResult::failure(EIO);
	__kernel_timespec ts{};
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = static_cast<long long>(timeout_ms % 1000) * 1000000LL;
	io_uring_cqe *cqe = nullptr;
	for (;;) {
		ret = io_uring_wait_cqe_timeout(ring_.get(), &cqe, &ts);
		if (ret == -EINTR)
			continue;
		break;
	}
	// ETIME: the request is still in flight; the ring stays unusable for new
	// requests until it completes, which callers treat as a failed step.
	if (ret < 0)
		return SysResult::failure(-ret);
	int res = cqe->res;
	io_uring_cqe_seen(ring_.get(), cqe);
	return SysResult::from_negative_errno(res);
}

SysResult Uring::openat2(int dirfd, const char *path, const OpenHow &how, int timeout_ms)
{
	if (!ready_)
		return SysResult::failure(EBADF);
	io_uring_sqe *sqe = io_uring_get_sqe(ring_.get());
	if (!sqe)
		return SysResult::failure(EBUSY);
	// liburing takes a non-const pointer; the kernel only reads it.
	io_uring_prep_openat2(sqe, dirfd, path, reinterpret_cast<struct open_how *>(const_cast<OpenHow *>(&how)));
	return submit_and_wait(timeout_ms);
}

SysResult Uring::openat(int dirfd, const char *path, int flags, unsigned mode, int timeout_ms)
{
	if (!ready_)
		return SysResult::failure(EBADF);
	io_uring_sqe *sqe = io_uring_get_sqe(ring_.get());
	if (!sqe)
		return SysResult::failure(EBUSY);
	io_uring_prep_openat(sqe, dirfd, path, flags, mode);
	return submit_and_wait(timeout_ms);
}

SysResult Uring::splice(int fd_in, loff_t off_in, int fd_out, loff_t off_out, std::size_t len, unsigned flags,
			int timeout_ms)
{
	if (!ready_)
		return SysResult::failure(EBADF);
	io_uring_sqe *sqe = io_uring_get_sqe(ring_.get());
	if (!sqe)
		return SysResult::failure(EBUSY);
	io_uring_prep_splice(sqe, fd_in, off_in, fd_out, off_out, static_cast<unsigned>(len), flags);
	return submit_and_wait(timeout_ms);
}

std::string uring_op_name(int opcode)
{
	switch (opcode) {
	case IORING_OP_OPENAT: return "IORING_OP_OPENAT";
	case IORING_OP_OPENAT2: return "IORING_OP_OPENAT2";
	case IORING_OP_SPLICE: return "IORING_OP_SPLICE";
	case IORING_OP_NOP: return "IORING_OP_NOP";
	default: return "IORING_OP_" + std::to_string(opcode);
	}
}

} // namespace pipehang::sys
