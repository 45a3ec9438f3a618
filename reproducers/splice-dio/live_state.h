// LiveState: what the watchdog needs to describe an iteration that never
// finished. The step flags live in a MAP_SHARED page so a --fork closer in a
// child process updates the same counters the parent's watchdog reads.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <mutex>
#include <string>

#include "record.h"

namespace pipehang::repro {

struct LiveFlags {
	std::atomic<int> splicers_entered{0};
	std::atomic<int> splicers_returned{0};
	std::atomic<int> close_entered{0};
	std::atomic<int> close_returned{0};
	std::atomic<int> close_err{0};
	std::atomic<long long> first_splice_start_us{0};
	std::atomic<long long> last_splice_end_us{0};
	std::atomic<long long> close_start_us{0};
	std::atomic<long long> close_end_us{0};
	std::atomic<long long> bytes_spliced{0};
	// Kernel thread ids, so a pipewatch/hung-task record's holder and waiter
	// can be matched to the splicer and closer of this run.
	static constexpr int kMaxSplicers = 64;
	std::atomic<int> closer_tid{0};
	std::atomic<int> splicer_tids[kMaxSplicers] = {};

	void reset();
};
static_assert(std::atomic<long long>::is_always_lock_free, "shared-memory atomics must be lock-free");

class LiveState {
public:
	// Maps the shared page; false if mmap fails.
	bool init();
	LiveFlags *flags() { return flags_; }

	// The record of the running iteration as far as it got (main thread).
	void publish(const IterationRecord &r, const std::string &file_name);
	void snapshot(IterationRecord &r, std::string &file_name);
	void set_child(pid_t pid) { child_.store(pid); }
	pid_t child() const { return child_.load(); }
	void set_dirfd(int fd) { dirfd_ = fd; }
	int dirfd() const { return dirfd_; }
	void set_keep_files(bool keep) { keep_files_ = keep; }
	bool keep_files() const { return keep_files_; }

	// Held while an iteration's line is printed and the iteration is marked
	// finished, and by the watchdog while it decides: so a run never prints
	// both an iteration's own line and a time-out line for it.
	std::mutex &report_mutex() { return report_mu_; }
	// Guarded by report_mutex().
	bool in_iteration = false;

private:
	LiveFlags *flags_ = nullptr;
	std::mutex mu_;
	std::mutex report_mu_;
	IterationRecord current_;
	std::string file_name_;
	std::atomic<pid_t> child_{0};
	int dirfd_ = -1;
	bool keep_files_ = false;
};

long long now_us();

} // namespace pipehang::repro
