// IterationRecord: everything one iteration reports, and its JSON form (the
// reproducer -> oracle contract: one object per line on stdout).
#pragma once

#include <errno.h>

#include <string>
#include <vector>

namespace pipehang::repro {

// How an iteration ended, which decides the exit status.
enum class Outcome {
	kExercised, // splice into an O_DIRECT ext4 file moved data (or blocked in it)
	kSkip,      // the path cannot be exercised here (exit 4)
	kFailure,   // something unexpected failed (exit 1)
};

struct IterationRecord {
	unsigned iteration = 1;
	std::string entry;           // openat2 | openat | io_uring: used or last attempted
	std::string entry_requested; // as given to --entry (auto included)
	bool fallback = false;
	std::string uring_op; // IORING_OP_* used to open, io_uring entry only
	bool exercised = false;
	bool timed_out = false;
	std::string fs;        // filesystem type of --dir
	bool o_direct = false; // the target file is open with O_DIRECT
	std::string splice_via = "syscall";
	unsigned threads = 1;
	bool fork = false;
	std::vector<std::string> deny;
	long long size = 0; // bytes requested
	// --fill and what it did: the faulting write's result (gap, mixed) and
	// whether this kernel keeps the empty buffer it leaves (1, 0, -1 unknown).
	std::string fill = "mixed";
	long long data_bytes = 0; // data bytes in the pipe before the splice
	bool fault_write = false; // a faulting write was made
	long long fault_write_ret = 0;
	int fault_write_errno = 0;
	int empty_buffer_kept = -1;
	long long pipe_size = -1; // F_GETPIPE_SZ after sizing
	long long bytes_spliced = 0;
	long long file_bytes = -1; // st_size of the target after the iteration
	// Pages of the target in the page cache after the splice (mincore): 0
	// proves the data went by direct I/O; -1 when not checked.
	long long page_cache_pages = -1;
	// Per-step durations in ms; -1 when the step was not reached.
	double open_ms = -1, fill_ms = -1, splice_ms = -1, close_ms = -1, total_ms = -1;
	// close() of the write end started while a splice() was still running.
	bool overlap = false;
	// Who did what (kernel thread ids): match them with pipewatch's holder=
	// (a splicer) and waiter= (the closer).
	int pid = 0;
	std::vector<int> splicer_tids;
	int closer_tid = 0;
	// Failure details (failed_step empty on success).
	std::string failed_step;
	int err = 0;
	std::string reason_code; // ENOSYS, NO_O_DIRECT, NOT_EXT4, ...
	std::string reason;
	Outcome outcome = Outcome::kFailure;

	// Records a failed step. A step that failed with ENOSYS (the syscall does
	// not exist here, or --deny removed it) always means "cannot exercise the
	// path on this kernel": a skip, never an unexpected failure.
	void fail(Outcome o, const std::string &step, int e, const std::string &code, const std::string &why)
	{
		outcome = o;
		failed_step = step;
		err = e;
		reason_code = code;
		reason = why;
		if (e == ENOSYS && o == Outcome::kFailure) {
			outcome = Outcome::kSkip;
			reason_code = "ENOSYS";
			reason = "ENOSYS: " + why + " (the syscall is missing on this kernel or denied by --deny)";
		}
	}
};

// One compact JSON object, no trailing newline.
std::string to_json_line(const IterationRecord &r);

// Writes line + '\n' to stdout and flushes; safe from any thread.
void emit_line(const std::string &line);

} // namespace pipehang::repro
