#include "html/run_timeline.h"

#include "html/escape.h"
#include "html/page.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

namespace pipehang::html {

namespace {

// How long a run took: start to end, or start to the report that stopped
// it early ("seconds_to_report", oracle/evidence.h); nothing when unknown.
std::optional<double> run_seconds(const nlohmann::json &r)
{
	for (const char *key : {"seconds", "seconds_to_report"})
		if (r.contains(key) && r[key].is_number())
			return r[key].get<double>();
	return std::nullopt;
}

} // namespace

std::string run_timeline_svg(const nlohmann::json &runs)
{
	constexpr int kRow = 26, kLabel = 70, kWidth = 760, kLeft = 10;
	double longest = 0, sum = 0;
	int timed = 0;
	for (const auto &r : runs)
		if (auto s = run_seconds(r)) {
			longest = std::max(longest, *s);
			sum += *s;
			timed++;
		}
	double mean = timed ? sum / timed : 1.0;
	if (longest <= 0)
		longest = mean > 0 ? mean : 1.0;
	int height = std::max<int>(1, int(runs.size())) * kRow + 10;
	std::string svg = fmt::format("<svg id=\"run-timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
				      "height=\"{}\" role=\"img\" aria-label=\"runs\">\n",
				      kWidth + kLabel + 260, height);
	int y = 5;
	for (const auto &r : runs) {
		std::string status = r.value("status", std::string("?"));
		auto known = run_seconds(r);
		double s = known.value_or(mean);
		int w = std::max(4, int(kWidth * std::min(s, longest) / longest));
		std::string label = !known                  ? std::string("(duration unknown)")
				    : r.contains("seconds") ? fmt::format("{:.1f} s", s)
							    : fmt::format("{:.1f} s to the report (stopped there)", s);
		svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\">run #{}</text>", kLeft, y + 16,
				   r.value("run", 0));
		svg += fmt::format("<rect class=\"run-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}>"
				   "<title>{}</title></rect>",
				   kLabel, y, w, kRow - 6, status_colour(status),
				   known ? "" : " stroke=\"#000\" stroke-dasharray=\"4 3\" fill-opacity=\"0.6\"",
				   escape(r.value("title", status)));
		svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{} {}</text>\n", kLabel + w + 6, y + 15,
				   escape(status), escape(label));
		y += kRow;
	}
	svg += "</svg>";
	return svg;
}

} // namespace pipehang::html
