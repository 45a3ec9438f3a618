#include "html/page.h"

#include "html/escape.h"

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include <unistd.h>

namespace pipehang::html {

namespace {

// Small, readable in any browser and when printed; monospace for stacks.
constexpr std::string_view kStyle = R"(
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}code,pre,.mono{font-family:ui-monospace,monospace;font-size:.9em}
pre{background:#f7f7f7;padding:.5em;overflow-x:auto;margin:.2em 0}
.verdict{font-size:1.2em;padding:.4em .6em;border-left:.4em solid #888;background:#fafafa}
.sides{display:flex;gap:1em;flex-wrap:wrap}.side{flex:1;min-width:320px}
.frames{color:#555}.note{color:#555;font-size:.9em}.progress{background:#fff6d5;padding:.3em .6em}
.bad,.target{color:#b00020}.good,.clean{color:#1b7a1b}.skip{color:#8a6d00}
)";

} // namespace

std::string_view status_colour(std::string_view s)
{
	if (s == "bad" || s == "target")
		return "#d32f2f";
	if (s == "good" || s == "clean")
		return "#2e7d32";
	if (s == "other_crash")
		return "#ef6c00";
	if (s == "skip" || s == "not_exercised" || s == "repro_failed")
		return "#b8a000";
	if (s == "lost" || s == "error")
		return "#6a1b9a";
	return "#9e9e9e";
}

std::string page(std::string_view title, std::string_view body, bool in_progress)
{
	std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
	if (in_progress)
		out += "<meta http-equiv=\"refresh\" content=\"30\">\n";
	out += "<title>" + escape(title) + "</title>\n<style>" + std::string(kStyle) + "</style></head>\n<body>\n";
	out += "<h1>" + escape(title) + "</h1>\n";
	if (in_progress)
		out += "<p class=\"progress\" id=\"in-progress\">Still running: this page is rewritten after each "
		       "step.</p>\n";
	out += body;
	out += "\n</body></html>\n";
	return out;
}

void write_atomically(const std::filesystem::path &file, std::string_view content)
{
	auto tmp = file;
	static std::atomic<unsigned> n{0}; // writers on several threads
	tmp += ".tmp." + std::to_string(getpid()) + "." + std::to_string(n++);
	{
		std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
		out.write(content.data(), std::streamsize(content.size()));
		out.flush();
		if (!out) {
			std::error_code ec;
			std::filesystem::remove(tmp, ec);
			throw std::runtime_error("cannot write " + file.string());
		}
	}
	std::error_code ec;
	std::filesystem::rename(tmp, file, ec);
	if (ec) {
		std::filesystem::remove(tmp, ec);
		throw std::runtime_error("cannot write " + file.string() + ": " + ec.message());
	}
}

} // namespace pipehang::html
