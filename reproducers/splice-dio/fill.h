// How an iteration fills the pipe before the splice (--fill).
//
//   pages  whole pages only: the splice holds pipe->mutex for as long as the
//          O_DIRECT write takes. Hangs only on a slow disk -- every kernel
//          does that (the positive control, not the regression).
//   gap    the real trigger, alone: [data][empty][data]. The middle write
//          comes from an unmapped address; since v5.5 (a194dfe6e6f6)
//          pipe_write() puts the buffer in the ring before copying, so the
//          EFAULT leaves a zero-length buffer behind. Spliced into an
//          O_DIRECT ext4 file, a kernel whose bvec walk cannot step over an
//          empty bvec (v5.5 .. v5.8.7) spins in iov_iter_alignment() with
//          pipe->mutex held.
//   mixed  both in one splice: [data][empty][data ... up to --size]; the
//          default, so one run exposes either bug.
#pragma once

#include <cstddef>
#include <string>

#include "sys/result.h"

namespace pipehang::repro {

enum class Fill { kPages, kGap, kMixed };
const char *fill_name(Fill f);

// What a fill put into the pipe.
struct FillResult {
	sys::SysResult status = sys::SysResult::success(0); // first unexpected failure
	std::string failed_what;                            // which write failed ("data write", ...)
	long long data_bytes = 0;                           // bytes of data now in the pipe
	// The faulting write (gap/mixed): its return value and errno. EFAULT with
	// -1 is expected; anything else means the gap was not made as intended.
	bool fault_write_done = false;
	long long fault_write_ret = 0;
	int fault_write_errno = 0;
};

// Fills write_fd (non-blocking, with room for data_pages plus the empty
// buffer) per `fill` with data_pages pages of data (options.h data_pages()
// says how many each fill holds): one page per write(2), page-aligned, so
// every data buffer stays aligned for O_DIRECT; gap and mixed write the
// faulting page right after the first data page.
FillResult fill_pipe(int write_fd, Fill fill, std::size_t data_pages, unsigned number);

// Does this kernel keep a zero-length buffer in the pipe after a write that
// faults? Measured on a scratch two-slot pipe: after the faulting write, one
// data page fits and a second must not (EAGAIN) when the empty buffer holds
// a slot. 1 kept, 0 not kept (pipe_write copies before it inserts, as before
// v5.5), -1 could not tell (errno in *err).
int probe_empty_buffer_kept(int *err);

} // namespace pipehang::repro
