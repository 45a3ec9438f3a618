#include "guest/markers.h"

namespace pipehang::guest {

namespace {

// Where a kernel message ("[    1.280841] text") starts inside LINE, or npos.
std::size_t kernel_message_at(std::string_view line)
{
	for (std::size_t at = line.find('['); at != std::string_view::npos; at = line.find('[', at + 1)) {
		std::size_t i = at + 1;
		while (i < line.size() && line[i] == ' ')
			i++;
		std::size_t digits = i;
		while (i < line.size() && line[i] >= '0' && line[i] <= '9')
			i++;
		if (i == digits || i >= line.size() || line[i] != '.')
			continue;
		std::size_t frac = ++i;
		while (i < line.size() && line[i] >= '0' && line[i] <= '9')
			i++;
		if (i > frac && i < line.size() && line[i] == ']')
			return at;
	}
	return std::string_view::npos;
}

std::string_view trimmed(std::string_view line)
{
	while (!line.empty() && (line.back() == '\r' || line.back() == '\0'))
		line.remove_suffix(1);
	return line;
}

bool parse_data(Marker &m, const std::string &json)
{
	m.data = nlohmann::json::parse(json, nullptr, false);
	m.valid = !m.data.is_discarded() && m.data.is_object();
	if (!m.valid)
		m.data = nullptr;
	return m.valid;
}

} // namespace

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
		line = trimmed(line);
		if (auto at = line.find(tag); at != std::string_view::npos) {
			Marker m;
			m.line = line_no;
			m.raw = std::string(line.substr(at + tag.size()));
			auto sp = m.raw.find(' ');
			m.event = m.raw.substr(0, sp);
			if (sp != std::string::npos && !parse_data(m, m.raw.substr(sp + 1))) {
				// A kernel message printed in the middle of the marker
				// ends the line early and the marker's rest follows on the
				// next line: rejoin the two, and take it only if the whole
				// object then parses (nothing is guessed).
				std::size_t cut = kernel_message_at(m.raw);
				std::size_t next_end = end + 1 < console.size() ? console.find('\n', end + 1) : end;
				if (cut != std::string::npos && cut > sp && next_end != std::string_view::npos) {
					std::string_view next = trimmed(console.substr(end + 1, next_end - end - 1));
					if (next.find(tag) == std::string_view::npos) {
						std::string joined = m.raw.substr(0, cut) + std::string(next);
						if (parse_data(m, joined.substr(sp + 1))) {
							m.raw = joined;
							m.rejoined = true;
						}
					}
				}
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
