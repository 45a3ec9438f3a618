#include "html/history_svg.h"

#include "html/escape.h"
#include "html/page.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace pipehang::html {

using nlohmann::json;

namespace {

std::string s(const json &j, const char *k)
{
	return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}

// One tested revision's mark at (x, y): its shape says how the verdict was
// reached, its colour what it was.
std::string mark(const json &t, int order, int x, int y, bool culprit)
{
	std::string verdict = s(t, "verdict"), colour(status_colour(verdict));
	std::string tip = fmt::format(
		"#{} {} {} ({}): {}{}", order, s(t, "id").substr(0, 12), s(t, "subject"), s(t, "role"), verdict,
		s(t, "title").empty() ? (s(t, "reason").empty() ? "" : ": " + s(t, "reason")) : ": " + s(t, "title"));
	std::string shape;
	if (verdict == "skip")
		shape = fmt::format(
			"<rect class=\"rev skip\" x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>", x - 6,
			y - 6, colour);
	else if (t.value("reused", false))
		shape = fmt::format("<circle class=\"rev reused\" cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"white\" "
				    "stroke=\"{}\" stroke-width=\"3\"/>",
				    x, y, colour);
	else if (verdict == "good" && t.value("entry_unavailable", false))
		// syzbot's trap: "good" only because the reproducer could not
		// start (its entry point missing): the path was never tested.
		shape = fmt::format("<circle class=\"rev untested-good\" cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"white\" "
				    "stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>",
				    x, y, colour);
	else
		shape = fmt::format("<circle class=\"rev\" cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"{}\"/>", x, y, colour);
	if (culprit)
		shape += fmt::format("<circle class=\"culprit-mark\" cx=\"{}\" cy=\"{}\" r=\"11\" fill=\"none\" "
				     "stroke=\"#000\" stroke-width=\"2\"/>",
				     x, y);
	std::string label = s(t, "role") == "search back" ? fmt::format("s{}", order) : std::to_string(order);
	std::string body = fmt::format("<g><title>{}</title>{}<text x=\"{}\" y=\"{}\" font-size=\"10\" "
				       "text-anchor=\"middle\">{}</text></g>",
				       escape(tip), shape, x, y - 11, escape(label));
	if (t.contains("report") && t["report"].is_string())
		return fmt::format("<a href=\"{}\">{}</a>", escape(t["report"].get<std::string>()), body);
	return body;
}

} // namespace

std::string history_svg(const json &history, const json &bisections)
{
	// Oldest left: the order the history happened in.
	std::vector<json> line(history.begin(), history.end());
	std::reverse(line.begin(), line.end());
	std::map<std::string, int> pos;
	for (std::size_t i = 0; i < line.size(); i++)
		pos[s(line[i], "id")] = int(i);
	constexpr int kLeft = 120, kAvail = 900, kRow = 44, kTop = 30;
	int step = line.size() > 1 ? std::clamp(kAvail / int(line.size() - 1), 6, 40) : 40;
	int width = kLeft + step * std::max<int>(1, int(line.size())) + 260;
	int rows = std::max<int>(1, int(bisections.size()));
	int height = kTop + kRow * (rows + 1) + 30;
	std::string svg =
		fmt::format("<svg id=\"history\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
			    "role=\"img\" aria-label=\"bisection history\">\n",
			    width, height);
	int y0 = kTop;
	// The first-parent line: commits as small dots, merges as diamonds.
	svg += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"12\">first parents</text>", y0 + 4);
	if (!line.empty())
		svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#888\" stroke-width=\"2\"/>",
				   kLeft, y0, kLeft + step * int(line.size() - 1), y0);
	for (std::size_t i = 0; i < line.size(); i++) {
		int x = kLeft + step * int(i);
		std::string tip = escape(s(line[i], "id").substr(0, 12) + " " + s(line[i], "subject"));
		if (line[i].value("merge", false))
			svg += fmt::format(
				"<g class=\"merge\"><title>merge: {}</title><path d=\"M{} {} l6 -6 l6 6 l-6 6 "
				"z\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"1.5\"/></g>",
				tip, x - 6, y0);
		else
			svg += fmt::format("<g><title>{}</title><circle cx=\"{}\" cy=\"{}\" r=\"2.5\" "
					   "fill=\"#666\"/></g>",
					   tip, x, y0);
	}
	// One row per bisection: where it tested, in what order.
	int offx = kLeft + step * std::max<int>(1, int(line.size())) + 30;
	for (std::size_t b = 0; b < bisections.size(); b++) {
		const json &bi = bisections[b];
		int y = y0 + kRow * int(b + 1);
		std::string culprit = bi.contains("culprit") && bi["culprit"].is_object() ? s(bi["culprit"], "id") : "";
		svg += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"12\">{} mode</text>", y + 4,
				   escape(s(bi, "mode")));
		svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>", kLeft, y,
				   kLeft + step * std::max<int>(0, int(line.size()) - 1), y);
		int order = 0, off = 0;
		for (const auto &t : bi.value("tested", json::array())) {
			order++;
			auto it = pos.find(s(t, "id"));
			int x = it != pos.end() ? kLeft + step * it->second : offx + 22 * off++;
			svg += mark(t, order, x, y, !culprit.empty() && s(t, "id") == culprit);
		}
		if (off)
			svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\">off the line</text>", offx - 8,
					   y + 20);
	}
	// The legend says what the shapes mean.
	int ly = height - 12;
	svg += fmt::format("<g font-size=\"11\"><circle cx=\"10\" cy=\"{0}\" r=\"6\" fill=\"{1}\"/><text x=\"20\" "
			   "y=\"{2}\">bad</text>"
			   "<circle cx=\"60\" cy=\"{0}\" r=\"6\" fill=\"{3}\"/><text x=\"70\" y=\"{2}\">good</text>"
			   "<rect x=\"114\" y=\"{4}\" width=\"12\" height=\"12\" fill=\"{5}\"/><text x=\"130\" "
			   "y=\"{2}\">skip</text>"
			   "<circle cx=\"180\" cy=\"{0}\" r=\"6\" fill=\"white\" stroke=\"#555\" stroke-width=\"3\"/>"
			   "<text x=\"190\" y=\"{2}\">verdict reused (same signature)</text>"
			   "<path d=\"M384 {0} l6 -6 l6 6 l-6 6 z\" fill=\"#fff\" stroke=\"#333\"/><text x=\"400\" "
			   "y=\"{2}\">merge</text>"
			   "<circle cx=\"460\" cy=\"{0}\" r=\"9\" fill=\"none\" stroke=\"#000\" stroke-width=\"2\"/>"
			   "<text x=\"474\" y=\"{2}\">culprit; sN: good-end search step N</text>"
			   "<circle cx=\"700\" cy=\"{0}\" r=\"6\" fill=\"white\" stroke=\"{3}\" stroke-width=\"2\" "
			   "stroke-dasharray=\"3 2\"/><text x=\"710\" y=\"{2}\">good only because the entry point was "
			   "missing</text></g>",
			   ly, status_colour("bad"), ly + 4, status_colour("good"), ly - 6, status_colour("skip"));
	svg += "</svg>";
	return svg;
}

} // namespace pipehang::html
