// Watchdog: bounds the whole run. If the deadline passes before stop(), it
// prints the running iteration's JSON line with "timed_out":true and the
// step still blocked (close() in pipe_release, or splice()), kills a --fork
// child, removes the target file, and exits 1. Threads stuck in an
// uninterruptible kernel wait keep the process around until the kernel lets
// them go; nothing in userspace can cut that short.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "live_state.h"

namespace pipehang::repro {

class Watchdog {
public:
	Watchdog(LiveState &live, double deadline_ms, double limit_s, bool is_ext4)
	    : live_(live), deadline_ms_(deadline_ms), limit_s_(limit_s), is_ext4_(is_ext4)
	{
	}
	~Watchdog() { stop(); }
	void start();
	void stop();

private:
	// Prints the time-out line and exits 1, unless the run is between
	// iterations and finishes on its own.
	void fire();

	LiveState &live_;
	double deadline_ms_;
	double limit_s_;
	bool is_ext4_;
	std::mutex mu_;
	std::condition_variable cv_;
	bool stopped_ = false;
	std::thread thread_;
};

} // namespace pipehang::repro
