#include "report/holder_frames.h"

#include "report/frame_rules.h"

namespace pipehang::report {

std::vector<std::string> telling_frames(const std::vector<std::string> &frames, std::size_t max)
{
	std::vector<std::string> out;
	for (const auto &f : frames) {
		if (out.size() >= max)
			break;
		if (is_machinery_frame(f) || matches_any(holder_line_skips(), f))
			continue;
		out.push_back(f);
	}
	return out;
}

std::vector<std::string> holder_frames(const Report &r, std::size_t max)
{
	for (const auto &s : r.stacks)
		if (s.label == "holder")
			return telling_frames(s.frames, max);
	return {};
}

std::string frames_line(const std::vector<std::string> &frames)
{
	std::string out;
	for (const auto &f : frames)
		out += (out.empty() ? "" : " <- ") + f;
	return out;
}

} // namespace pipehang::report
