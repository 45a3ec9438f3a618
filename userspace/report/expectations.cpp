#include "report/expectations.h"

#include <algorithm>
#include <sstream>

namespace pipehang::report {

namespace {

std::string holder_of(const Report &r)
{
	auto it = r.fields.find("holder");
	return it == r.fields.end() ? std::string() : it->second;
}

} // namespace

std::vector<Expectation> parse_expectations(std::string_view text)
{
	std::vector<Expectation> out;
	size_t pos = 0;
	while (pos < text.size()) {
		size_t nl = text.find('\n', pos);
		std::string_view line =
			text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
		pos = nl == std::string_view::npos ? text.size() : nl + 1;
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		if (line.empty())
			continue;
		Expectation e;
		size_t tab = line.find('\t');
		e.title = std::string(line.substr(0, tab));
		while (tab != std::string_view::npos) {
			size_t next = line.find('\t', tab + 1);
			std::string_view f = line.substr(
				tab + 1, next == std::string_view::npos ? std::string_view::npos : next - tab - 1);
			tab = next;
			if (f.substr(0, 5) == "type=")
				e.type = std::string(f.substr(5));
			else if (f.substr(0, 6) == "frame=")
				e.frame = std::string(f.substr(6));
			else if (f.substr(0, 7) == "holder=")
				e.holder = std::string(f.substr(7));
			else
				e.flag = std::string(f);
		}
		out.push_back(std::move(e));
	}
	return out;
}

std::string expectation_line(const Report &r)
{
	std::string line = r.title;
	line += r.corrupted ? "\tcorrupted" : "\tclean";
	line += "\ttype=" + std::string(to_string(r.type));
	line += "\tframe=" + (r.guilty_frame.empty() ? std::string("-") : r.guilty_frame);
	if (std::string h = holder_of(r); !h.empty())
		line += "\tholder=" + h;
	return line;
}

std::string compare_expectations(const std::vector<Report> &got, const std::vector<Expectation> &want)
{
	std::ostringstream diff;
	for (size_t i = 0; i < std::max(got.size(), want.size()); i++) {
		std::string g = i < got.size() ? got[i].title : "<none>";
		std::string w = i < want.size() ? want[i].title : "<none>";
		if (g != w) {
			diff << "  report " << i + 1 << ": got '" << g << "', want '" << w << "'\n";
			continue;
		}
		const Report &r = got[i];
		const Expectation &e = want[i];
		if (!e.flag.empty() && r.corrupted != (e.flag == "corrupted"))
			diff << "  report " << i + 1 << " '" << g << "': corrupted=" << r.corrupted << " ("
			     << r.corrupted_reason << "), want " << e.flag << "\n";
		if (!e.type.empty() && to_string(r.type) != e.type)
			diff << "  report " << i + 1 << " '" << g << "': type " << to_string(r.type) << ", want "
			     << e.type << "\n";
		std::string frame = r.guilty_frame.empty() ? "-" : r.guilty_frame;
		if (!e.frame.empty() && frame != e.frame)
			diff << "  report " << i + 1 << " '" << g << "': frame " << frame << ", want " << e.frame
			     << "\n";
		if (!e.holder.empty() && holder_of(r) != e.holder)
			diff << "  report " << i + 1 << " '" << g << "': holder '" << holder_of(r) << "', want "
			     << e.holder << "\n";
	}
	return diff.str();
}

} // namespace pipehang::report
