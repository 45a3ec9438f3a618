#include "guest/markers.h"

namespace pipehang::guest {

std::vector<Marker> parse_markers(std::string_view console)
{
	static constexpr std::string_view tag = "PIPEHANG: ";
	std::vector<Marker> out;
	std::size_t line_no = 0, pos = 0;
	while (pos < console.size()) {
		std::size_t end = console.find('\n', pos);
		bool last = end == std::string_view::npos;
		std::string_view line = console.substr(pos, last ? std::string_view::npos : end - pos);
		// The tail of a log still being written is not a complete line.
		if (last)
			break;
		while (!line.empty() && (line.back() == '\r' || line.back() == '\0'))
			line.remove_suffix(1);
		if (auto at = line.find(tag); at != std::string_view::npos) {
			Marker m;
			m.line = line_no;
			m.raw = std::string(line.substr(at + tag.size()));
			auto sp = m.raw.find(' ');
			m.event = m.raw.substr(0, sp);
			if (sp != std::string::npos) {
				m.data = nlohmann::json::parse(m.raw.substr(sp + 1), nullptr, false);
				m.valid = !m.data.is_discarded() && m.data.is_object();
				if (!m.valid)
					m.data = nullptr;
			}
			out.push_back(std::move(m));
		}
		pos = end + 1;
		line_no++;
	}
	return out;
}

std::optional<Marker> find_marker(const std::vector<Marker> &markers, std::string_view event)
{
	for (auto &m : markers)
		if (m.valid && m.event == event)
			return m;
	return std::nullopt;
}

} // namespace pipehang::guest
