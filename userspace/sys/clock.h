// Monotonic time in milliseconds, comparable across threads and processes
// (CLOCK_MONOTONIC is system-wide), which is what lets a reproducer tell
// whether a close() in one process overlapped a splice() in another.
#pragma once

#include <time.h>

namespace pipehang::sys {

inline double monotonic_ms()
{
	struct timespec ts;
	::clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// Sleeps ms milliseconds, resuming after signals; async-signal-safe.
inline void sleep_ms(double ms)
{
	if (ms <= 0)
		return;
	struct timespec ts;
	ts.tv_sec = static_cast<time_t>(ms / 1000.0);
	ts.tv_nsec = static_cast<long>((ms - static_cast<double>(ts.tv_sec) * 1000.0) * 1e6);
	while (::nanosleep(&ts, &ts) != 0) {
	}
}

} // namespace pipehang::sys
