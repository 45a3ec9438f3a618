// Durations printed the way syzbot prints them: 5h52m57s, 6m12s, 41s.
#pragma once

#include <string>

namespace pipehang::bisect {

std::string format_duration(double seconds);

} // namespace pipehang::bisect
