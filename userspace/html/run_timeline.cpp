#include "html/run_timeline.h"

#include "html/escape.h"
#include "html/page.h"

#include <fmt/format.h>

#include <algorithm>

namespace pipehang::html {

std::string run_timeline_svg(const nlohmann::json &runs)
{
	constexpr int kRow = 26, kLabel = 70, kWidth = 760, kLeft = 10;
	double longest = 0, sum = 0;
	int timed = 0;
	for (const auto &r : runs)
		if (r.contains("seconds") && r["seconds"].is_number()) {
			double s = r["seconds"].get<double>();
			longest = std::max(longest, s);
			sum += s;
			timed++;
		}
	double mean = timed ? sum / timed : 1.0;
	if (longest <= 0)
		longest = mean > 0 ? mean : 1.0;
	int height = std::max<int>(1, int(runs.size())) * kRow + 10;
	std::string svg = fmt::format("<svg id=\"run-timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
				      "height=\"{}\" role=\"img\" aria-label=\"runs\">\n",
				      kWidth + kLabel + 200, height);
	int y = 5;
	for (const auto &r : runs) {
		std::string status = r.value("status", std::string("?"));
		bool has_time = r.contains("seconds") && r["seconds"].is_number();
		double s = has_time ? r["seconds"].get<double>() : mean;
		int w = std::max(4, int(kWidth * std::min(s, longest) / longest));
		svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"13\">run #{}</text>", kLeft, y + 16,
				   r.value("run", 0));
		svg += fmt::format("<rect class=\"run-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}>"
				   "<title>{}</title></rect>",
				   kLabel, y, w, kRow - 6, status_colour(status),
				   has_time ? "" : " stroke=\"#000\" stroke-dasharray=\"4 3\" fill-opacity=\"0.6\"",
				   escape(r.value("title", status)));
		svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12\">{} {}</text>\n", kLabel + w + 6, y + 15,
				   escape(status),
				   has_time ? fmt::format("{:.1f} s", s) : std::string("(stopped early)"));
		y += kRow;
	}
	svg += "</svg>";
	return svg;
}

} // namespace pipehang::html
