// Progress lines for long host-side work ("downloading ...", "booting ...").
// They go to stderr so stdout stays clean for verdicts, --json and consoles.
#pragma once

#include <fmt/format.h>

#include <string_view>

namespace pipehang::util {

void set_quiet(bool quiet);
void progress_line(std::string_view line);

template <typename... Args>
void progress(fmt::format_string<Args...> f, Args &&...args)
{
	progress_line(fmt::format(f, std::forward<Args>(args)...));
}

} // namespace pipehang::util
