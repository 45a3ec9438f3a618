#include "oracle/boot_watch.h"

#include "oracle/evidence.h"
#include "report/classifier.h"

#include <fmt/format.h>

namespace pipehang::oracle {

BootWatch::BootWatch(BootWatchLimits limits) : lim_(std::move(limits)), start_(Clock::now()), last_progress_(start_) {}

std::string BootWatch::operator()(const std::string &console)
{
	auto now = Clock::now();
	if (console.size() != seen_) {
		std::size_t from = seen_ > 64 ? seen_ - 64 : 0;
		if (!booted_ && console.find("PIPEHANG: boot ", from) != std::string::npos)
			booted_ = true;
		auto markers = count_markers(console);
		if (markers != markers_) {
			markers_ = markers;
			last_progress_ = now;
		}
		// Something that may be the target: classify from now on.
		if (lim_.early_stop && !target_seen_ &&
		    (console.find("blocked for more than", from) != std::string::npos ||
		     console.find("pipewatch: ", from) != std::string::npos ||
		     console.find("soft lockup", from) != std::string::npos ||
		     console.find("detected stall", from) != std::string::npos || hot_))
			hot_ = true;
		seen_ = console.size();
	}
	if (hot_ && !target_seen_ && now - last_classify_ > std::chrono::milliseconds(500)) {
		last_classify_ = now;
		for (auto &r : report::classify(console))
			if (r.title == lim_.target || holder_spin(r)) {
				target_seen_ = true;
				stop_at_ = now + std::chrono::seconds(2);
			}
	}
	if (target_seen_ && now >= stop_at_)
		return "early stop: " + lim_.target;
	if (!booted_ && now - start_ > std::chrono::seconds(lim_.boot_timeout))
		return fmt::format("no boot marker after {} s (kernel hangs before userspace?)", lim_.boot_timeout);
	if (booted_ && now - last_progress_ > std::chrono::seconds(lim_.run_timeout))
		return fmt::format("no progress for {} s (guest stalled)", lim_.run_timeout);
	return "";
}

std::size_t BootWatch::count_markers(const std::string &console)
{
	// Incremental count of marker tags.
	std::size_t pos = counted_upto_ > 16 ? counted_upto_ - 16 : 0;
	while ((pos = console.find("PIPEHANG: ", pos)) != std::string::npos) {
		if (pos >= counted_upto_)
			total_markers_++;
		pos += 10;
	}
	counted_upto_ = console.size();
	return total_markers_;
}

} // namespace pipehang::oracle
