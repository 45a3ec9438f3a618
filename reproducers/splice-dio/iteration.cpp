#include "iteration.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "fill.h"
#include "sys/clock.h"
#include "sys/errno_name.h"
#include "sys/page_cache.h"
#include "sys/pipe.h"
#include "sys/uring.h"

namespace pipehang::repro {
namespace {

struct SplicerResult {
	long long bytes = 0;
	int err = 0;
};

// Keeps the earliest start / latest end across splicer threads.
void store_min(std::atomic<long long> &slot, long long v)
{
	long long cur = slot.load();
	while ((cur == 0 || v < cur) && !slot.compare_exchange_weak(cur, v)) {
	}
}
void store_max(std::atomic<long long> &slot, long long v)
{
	long long cur = slot.load();
	while (v > cur && !slot.compare_exchange_weak(cur, v)) {
	}
}

// Announces "about to call splice" on the sync pipe, then makes exactly one
// splice() call: iter_file_splice_write() keeps pipe->mutex for the whole
// call, including the O_DIRECT write, and moves everything the pipe holds up
// to len, so one call is the window the closer must hit.
void run_splicer(unsigned index, SpliceVia via, double deadline_ms, int pipe_rd, int file_fd, loff_t offset,
		 std::size_t len, int sync_wr, LiveFlags *live, SplicerResult *out)
{
	// Named so kernel reports read "holder=ph-splice-0/<tid>".
	const std::string comm = "ph-splice-" + std::to_string(index);
	::prctl(PR_SET_NAME, comm.c_str(), 0, 0, 0);
	if (index < static_cast<unsigned>(LiveFlags::kMaxSplicers))
		live->splicer_tids[index].store(::gettid());
	// One ring per thread: a ring is not shared between submitters.
	std::unique_ptr<sys::Uring> ring;
	if (via == SpliceVia::kIoUring) {
		ring = std::make_unique<sys::Uring>();
		if (auto r = ring->init(4); !r.ok())
			out->err = r.err;
		else if (!ring->supports(sys::kUringOpSplice))
			out->err = ENOSYS;
	}
	const char token = 's';
	while (::write(sync_wr, &token, 1) < 0 && errno == EINTR) {
	}
	const long long start = now_us();
	store_min(live->first_splice_start_us, start);
	live->splicers_entered.fetch_add(1);
	loff_t off = offset;
	sys::SysResult r = sys::SysResult::failure(out->err);
	if (out->err == 0 && via == SpliceVia::kSyscall) {
		r = sys::splice(pipe_rd, nullptr, file_fd, &off, len, 0);
	} else if (out->err == 0) {
		// Bounded by the run's deadline; the watchdog reports a time-out.
		const int timeout_ms = static_cast<int>(std::max(1.0, deadline_ms - sys::monotonic_ms()));
		r = ring->splice(pipe_rd, -1, file_fd, off, len, 0, timeout_ms);
	}
	const long long end = now_us();
	store_max(live->last_splice_end_us, end);
	if (r.ok()) {
		out->bytes = r.value;
		live->bytes_spliced.fetch_add(r.value);
	} else {
		out->err = r.err;
	}
	live->splicers_returned.fetch_add(1);
}

// Waits (bounded by deadline) until `expected` splicers announced themselves
// or the announcements stopped (EOF), waits delay_ms more, then closes the
// pipe's write end: with no other reference left this is the final fput, so
// pipe_release() runs and must take pipe->mutex. Only async-signal-safe
// calls: this also runs in a forked child.
void run_closer(int sync_rd, int expected, int write_fd, LiveFlags *live, double deadline_ms, unsigned delay_ms)
{
	::prctl(PR_SET_NAME, "ph-close", 0, 0, 0);
	live->closer_tid.store(::gettid());
	int seen = 0;
	while (seen < expected) {
		const double left = deadline_ms - sys::monotonic_ms();
		if (left <= 0)
			break;
		struct pollfd pfd = {sync_rd, POLLIN, 0};
		int ready = ::poll(&pfd, 1, static_cast<int>(std::min(left, 1000.0)) + 1);
		if (ready < 0 && errno != EINTR)
			break;
		if (ready <= 0)
			continue;
		char buf[64];
		ssize_t n = ::read(sync_rd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; // EOF: the splicers are gone
		seen += static_cast<int>(n);
	}
	sys::sleep_ms(delay_ms);
	live->close_start_us.store(now_us());
	live->close_entered.store(1);
	int ret = ::close(write_fd);
	live->close_err.store(ret < 0 ? errno : 0);
	live->close_end_us.store(now_us());
	live->close_returned.store(1);
}

std::string target_name(unsigned number)
{
	return "pipehang-splice-dio." + std::to_string(::getpid()) + "." + std::to_string(number);
}

} // namespace

IterationRecord base_record(const IterationContext &ctx, unsigned number)
{
	IterationRecord rec;
	rec.iteration = number;
	rec.entry_requested = entry_name(ctx.opt.entry);
	rec.entry = ctx.opt.entry == Entry::kAuto ? "openat2" : entry_name(ctx.opt.entry);
	rec.fallback = false;
	rec.fs = ctx.fs_name;
	rec.threads = ctx.opt.threads;
	rec.splice_via = splice_via_name(ctx.opt.splice_via);
	rec.fork = ctx.opt.fork;
	rec.deny = ctx.opt.deny;
	rec.size = static_cast<long long>(ctx.opt.size);
	rec.fill = fill_name(ctx.opt.fill);
	rec.pid = ::getpid();
	return rec;
}

IterationRecord run_iteration(IterationContext &ctx, unsigned number)
{
	const Options &opt = ctx.opt;
	LiveFlags *live = ctx.live.flags();
	IterationRecord rec = base_record(ctx, number);
	const double t0 = sys::monotonic_ms();
	const std::string name = target_name(number);
	live->reset();
	ctx.live.publish(rec, name);

	auto finish = [&](sys::UniqueFd *file) {
		if (file && file->valid()) {
			struct stat st {};
			if (::fstat(file->get(), &st) == 0)
				rec.file_bytes = st.st_size;
			file->reset();
		}
		if (!opt.keep_files)
			::unlinkat(ctx.dirfd, name.c_str(), 0);
		rec.total_ms = sys::monotonic_ms() - t0;
		return rec;
	};

	// 1. The O_DIRECT target, through the chosen entry point.
	double t = sys::monotonic_ms();
	const int open_timeout_ms = static_cast<int>(std::max(1.0, ctx.deadline_ms - t));
	sys::UniqueFd file = ctx.opener.open(ctx.dirfd, name, open_timeout_ms, rec);
	rec.open_ms = sys::monotonic_ms() - t;
	if (!file.valid())
		return finish(nullptr);
	if (!rec.o_direct) {
		rec.fail(Outcome::kFailure, "open", 0, "NO_O_DIRECT",
			 "the target opened but F_GETFL does not show O_DIRECT");
		return finish(&file);
	}
	ctx.live.publish(rec, name);

	// 2. A pipe sized to hold exactly --size bytes.
	sys::Pipe pipe;
	if (auto r = sys::make_pipe(pipe, O_CLOEXEC); !r.ok()) {
		rec.fail(Outcome::kFailure, "pipe", r.err, "PIPE_FAILED", "pipe2 failed: " + sys::errno_name(r.err));
		return finish(&file);
	}
	if (auto r = sys::set_pipe_size(pipe.write_end.get(), opt.size); !r.ok()) {
		const bool limit = r.err == EPERM;
		rec.fail(limit ? Outcome::kSkip : Outcome::kFailure, "pipe_size", r.err, "PIPE_SIZE",
			 "PIPE_SIZE: F_SETPIPE_SZ " + std::to_string(opt.size) + " failed: " + sys::errno_name(r.err) +
				 (limit ? " (above /proc/sys/fs/pipe-max-size without CAP_SYS_RESOURCE; use a smaller "
					  "--size or raise the sysctl)"
					: ""));
		return finish(&file);
	}
	if (auto r = sys::get_pipe_size(pipe.write_end.get()); r.ok())
		rec.pipe_size = r.value;
	if (rec.pipe_size < static_cast<long long>(opt.size)) {
		rec.fail(Outcome::kFailure, "pipe_size", 0, "PIPE_SIZE",
			 "PIPE_SIZE: pipe capacity " + std::to_string(rec.pipe_size) + " is below --size " +
				 std::to_string(opt.size));
		return finish(&file);
	}

	// 3. Fill it. Non-blocking, so a miscounted capacity fails (EAGAIN)
	// instead of hanging here.
	t = sys::monotonic_ms();
	::fcntl(pipe.write_end.get(), F_SETFL, O_NONBLOCK);
	if (opt.fill != Fill::kPages) {
		if (ctx.empty_buffer_kept == IterationContext::kNotProbed) {
			int probe_err = 0;
			ctx.empty_buffer_kept = probe_empty_buffer_kept(&probe_err);
		}
		rec.empty_buffer_kept = ctx.empty_buffer_kept;
	}
	FillResult filled = fill_pipe(pipe.write_end.get(), opt.fill, data_pages(opt), number);
	rec.fill_ms = sys::monotonic_ms() - t;
	rec.data_bytes = filled.data_bytes;
	rec.fault_write = filled.fault_write_done;
	rec.fault_write_ret = filled.fault_write_ret;
	rec.fault_write_errno = filled.fault_write_errno;
	if (!filled.status.ok()) {
		rec.fail(Outcome::kFailure, "fill", filled.status.err, "FILL_FAILED",
			 "filling the pipe failed: " + filled.failed_what + ": " + sys::errno_name(filled.status.err));
		return finish(&file);
	}
	if (filled.fault_write_done && !(filled.fault_write_ret == -1 && filled.fault_write_errno == EFAULT)) {
		// The gap is the trigger: without EFAULT there is no empty buffer as
		// intended, so this iteration must not count as exercised.
		rec.fail(Outcome::kFailure, "fill", filled.fault_write_errno, "FAULT_WRITE",
			 "FAULT_WRITE: the write(2) from an unmapped page returned " +
				 std::to_string(filled.fault_write_ret) +
				 (filled.fault_write_errno ? " (" + sys::errno_name(filled.fault_write_errno) + ")"
							   : "") +
				 ", expected -1 EFAULT: the empty pipe buffer of --fill " + rec.fill + " was not made");
		return finish(&file);
	}
	ctx.live.publish(rec, name);

	// 4. Splicers and the closer, synchronised through a small pipe.
	sys::Pipe sync;
	if (auto r = sys::make_pipe(sync, O_CLOEXEC); !r.ok()) {
		rec.fail(Outcome::kFailure, "pipe", r.err, "PIPE_FAILED",
			 "pipe2 (sync) failed: " + sys::errno_name(r.err));
		return finish(&file);
	}
	const int expected = static_cast<int>(opt.threads);
	std::thread closer_thread;
	pid_t child = -1;
	if (opt.fork) {
		const pid_t parent = ::getpid();
		child = ::fork();
		if (child < 0) {
			const int e = errno;
			rec.fail(Outcome::kFailure, "fork", e, "FORK_FAILED", "fork failed: " + sys::errno_name(e));
			return finish(&file);
		}
		if (child == 0) {
			// Never outlive the reproducer (its watchdog kills us too).
			::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
			if (::getppid() != parent)
				::_exit(1);
			// Child: keep only what the closer needs; its copy of the write end is
			// the last one once the parent drops its own below.
			::close(sync.write_end.get());
			::close(pipe.read_end.get());
			::close(file.get());
			run_closer(sync.read_end.get(), expected, pipe.write_end.get(), live, ctx.deadline_ms,
				   opt.close_delay_ms);
			::_exit(0);
		}
		ctx.live.set_child(child);
		pipe.write_end.reset(); // a reference drop, not a release: the child holds one
		sync.read_end.reset();
	} else {
		const int write_fd = pipe.write_end.release(); // the closer owns it now
		const int sync_rd = sync.read_end.get();
		const double deadline = ctx.deadline_ms;
		const unsigned delay = opt.close_delay_ms;
		closer_thread = std::thread([=] { run_closer(sync_rd, expected, write_fd, live, deadline, delay); });
	}

	const std::size_t page = sys::page_size();
	const std::size_t pages = data_pages(opt);
	std::vector<SplicerResult> results(opt.threads);
	std::vector<std::thread> splicers;
	std::size_t first_page = 0;
	for (unsigned i = 0; i < opt.threads; ++i) {
		// Thread i writes its own page-aligned range of the file.
		const std::size_t n = pages / opt.threads + (i < pages % opt.threads ? 1 : 0);
		const loff_t offset = static_cast<loff_t>(first_page * page);
		first_page += n;
		splicers.emplace_back(run_splicer, i, opt.splice_via, ctx.deadline_ms, pipe.read_end.get(), file.get(),
				      offset, n * page, sync.write_end.get(), live, &results[i]);
	}
	for (auto &th : splicers)
		th.join();
	sync.write_end.reset(); // EOF for a closer still waiting for announcements
	if (closer_thread.joinable())
		closer_thread.join();
	if (child > 0) {
		int status = 0;
		while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
		}
		ctx.live.set_child(0);
	}

	// 5. What happened.
	rec.bytes_spliced = live->bytes_spliced.load();
	rec.closer_tid = live->closer_tid.load();
	for (unsigned i = 0; i < opt.threads && i < static_cast<unsigned>(LiveFlags::kMaxSplicers); ++i)
		rec.splicer_tids.push_back(live->splicer_tids[i].load());
	const long long s0 = live->first_splice_start_us.load(), s1 = live->last_splice_end_us.load();
	const long long c0 = live->close_start_us.load(), c1 = live->close_end_us.load();
	rec.splice_ms = (s1 - s0) / 1000.0;
	if (live->close_returned.load())
		rec.close_ms = (c1 - c0) / 1000.0;
	rec.overlap = live->close_entered.load() && c0 >= s0 && c0 < s1;

	int splice_err = 0;
	for (const SplicerResult &r : results)
		if (r.err && !splice_err)
			splice_err = r.err;
	rec.exercised = rec.bytes_spliced > 0 && ctx.is_ext4 && rec.o_direct;
	// O_DIRECT on the fd does not guarantee direct I/O: ext4 silently writes
	// through the page cache for data=journal, inline data, verity, ... Data
	// in the cache after the splice means iomap_dio_rw was not the path.
	bool buffered_fallback = false;
	if (rec.bytes_spliced > 0) {
		struct stat st {};
		if (::fstat(file.get(), &st) == 0 && st.st_size > 0) {
			sys::SysResult cached = sys::resident_pages(file.get(), static_cast<std::size_t>(st.st_size));
			if (cached.ok()) {
				rec.page_cache_pages = cached.value;
				buffered_fallback = cached.value > 0;
			}
		}
	}
	if (buffered_fallback)
		rec.exercised = false;

	if (!live->close_returned.load()) {
		rec.fail(Outcome::kFailure, "close", 0, "CLOSE_NOT_RUN",
			 "the closer did not report a close() of the write end");
	} else if (int e = live->close_err.load()) {
		rec.fail(Outcome::kFailure, "close", e, "CLOSE_FAILED",
			 "close() of the pipe write end failed: " + sys::errno_name(e));
	} else if (splice_err == ENOSYS && opt.splice_via == SpliceVia::kIoUring) {
		rec.fail(Outcome::kSkip, "splice", splice_err, "ENOSYS",
			 "ENOSYS: --splice-via io_uring, but io_uring or IORING_OP_SPLICE is not available here");
	} else if (splice_err) {
		rec.fail(Outcome::kFailure, "splice", splice_err, "SPLICE_FAILED",
			 "splice() into the O_DIRECT file failed: " + sys::errno_name(splice_err) + " (" +
				 sys::errno_text(splice_err) + ")");
	} else if (rec.bytes_spliced == 0) {
		rec.fail(Outcome::kFailure, "splice", 0, "SPLICE_NO_DATA",
			 "splice() returned 0: nothing reached the O_DIRECT file");
	} else if (!ctx.is_ext4) {
		rec.fail(Outcome::kSkip, "fs", 0, "NOT_EXT4",
			 "NOT_EXT4: splice ran, but --dir is " + ctx.fs_name +
				 ", not ext4 (--any-fs): the ext4 O_DIRECT path was not exercised");
	} else if (buffered_fallback) {
		rec.fail(
			Outcome::kSkip, "splice", 0, "DIO_FALLBACK",
			"DIO_FALLBACK: splice moved " + std::to_string(rec.bytes_spliced) + " bytes but " +
				std::to_string(rec.page_cache_pages) +
				" pages of the file are in the page cache: the filesystem wrote through the page cache "
				"(e.g. ext4 data=journal), not by direct I/O");
	} else {
		rec.outcome = Outcome::kExercised;
	}
	// exercised stays true even when a later step failed: the path was driven.
	return finish(&file);
}

} // namespace pipehang::repro
