#include "bisect/duration.h"

#include <fmt/format.h>

#include <cmath>

namespace pipehang::bisect {

std::string format_duration(double seconds)
{
	long s = seconds > 0 ? std::lround(seconds) : 0;
	long h = s / 3600, m = s / 60 % 60, sec = s % 60;
	if (h)
		return fmt::format("{}h{:02}m{:02}s", h, m, sec);
	if (m)
		return fmt::format("{}m{:02}s", m, sec);
	return fmt::format("{}s", sec);
}

} // namespace pipehang::bisect
