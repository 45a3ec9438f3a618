// The oracle's watcher over one boot's console (guest::ConsoleWatcher):
// the boot limit, the stall limit once booted, and the early stop shortly
// after the target report appears (the grace lets its stack finish).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace pipehang::oracle {

struct BootWatchLimits {
	std::string target;   // the report title that means bad
	int boot_timeout = 0; // s until the boot marker
	int run_timeout = 0;  // s without marker progress once booted
	bool early_stop = true;
};

class BootWatch {
public:
	explicit BootWatch(BootWatchLimits limits);

	// A non-empty reason stops the VM.
	std::string operator()(const std::string &console);
	bool target_seen() const { return target_seen_; }

private:
	using Clock = std::chrono::steady_clock;
	std::size_t count_markers(const std::string &console);

	BootWatchLimits lim_;
	Clock::time_point start_, last_progress_, last_classify_{}, stop_at_{};
	std::size_t seen_ = 0, markers_ = 0, total_markers_ = 0, counted_upto_ = 0;
	bool booted_ = false, hot_ = false, target_seen_ = false;
};

} // namespace pipehang::oracle
