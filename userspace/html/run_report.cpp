#include "html/run_report.h"

#include "html/escape.h"
#include "html/page.h"
#include "html/run_timeline.h"

#include <fmt/format.h>

#include <set>
#include <stdexcept>

namespace pipehang::html {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string text_of(const json &v)
{
	if (v.is_string())
		return v.get<std::string>();
	if (v.is_null())
		return "";
	return v.dump();
}

std::string str(const json &j, const char *key)
{
	return j.contains(key) ? text_of(j[key]) : std::string();
}

std::string row(std::string_view key, const std::string &value)
{
	return fmt::format("<tr><th>{}</th><td class=\"mono\">{}</td></tr>\n", escape(key), escape(value));
}

// One stack, innermost first; the frames the verdict line names in bold.
std::string stack_html(const std::string &id, const json &frames, const json &telling)
{
	std::set<std::string> bold;
	for (const auto &f : telling)
		bold.insert(text_of(f));
	std::string out = "<pre id=\"" + escape(id) + "\">";
	if (!frames.is_array() || frames.empty())
		out += "(no stack recorded)";
	else
		for (const auto &f : frames) {
			std::string name = text_of(f);
			out += bold.count(name) ? "<b>" + escape(name) + "</b>\n" : escape(name) + "\n";
		}
	return out + "</pre>";
}

// Where the holder is, innermost first, with arrows (the verdict line
// writes "<-" for terminals; a page can draw the real arrow).
std::string frames_arrows(const json &frames)
{
	std::string out;
	for (const auto &f : frames)
		out += (out.empty() ? "" : " &larr; ") + escape(text_of(f));
	return out;
}

std::string hang_html(const json &run)
{
	const json &h = run["hang"];
	int n = run.value("run", 0);
	std::string pipe = str(h, "pipe_ino");
	std::string held = str(h, "held_ms"), waited = str(h, "waited_ms");
	std::string out = fmt::format("<h3 id=\"hang-{}\">run #{}: {}</h3>\n", n, n, escape(str(h, "title")));
	out += "<p>";
	if (!pipe.empty() && pipe != "0")
		out += fmt::format("pipe inode <code>{}</code>; ", escape(pipe));
	if (!held.empty() && held != "-1")
		out += fmt::format("mutex held <b>{} ms</b>", escape(held));
	if (!waited.empty())
		out += fmt::format(", waited {} ms", escape(waited));
	out += fmt::format(" <span class=\"note\">(from {})</span></p>\n",
			   str(h, "source") == "pipewatch" ? "pipewatch.ko's record" : "the kernel's report");
	if (h.contains("holder_frames") && !h["holder_frames"].empty())
		out += fmt::format("<p class=\"holder-where\">holder {}: <code>{}</code></p>\n",
				   str(h, "holder_state").empty() ? "is" : escape(str(h, "holder_state")) + " in",
				   frames_arrows(h["holder_frames"]));
	out += "<div class=\"sides\">\n";
	out += fmt::format(
		"<div class=\"side\"><h4>waiter {}</h4>{}</div>\n", escape(str(h, "waiter")),
		stack_html(fmt::format("waiter-stack-{}", n), h.value("waiter_stack", json::array()), json::array()));
	out += fmt::format("<div class=\"side\"><h4>holder {}{}</h4>{}</div>\n", escape(str(h, "holder")),
			   str(h, "holder_state").empty() ? "" : " (" + escape(str(h, "holder_state")) + ")",
			   stack_html(fmt::format("holder-stack-{}", n), h.value("holder_stack", json::array()),
				      h.value("holder_frames", json::array())));
	return out + "</div>\n";
}

} // namespace

std::string run_report_html(const json &j, bool in_progress)
{
	const json &k = j.value("kernel", json::object());
	std::string name = str(k, "release").empty() ? str(k, "spec") : str(k, "release");
	std::string body;

	// The answer first.
	std::string verdict = str(j, "verdict");
	if (verdict.empty() && j.contains("stopped"))
		body += "<p class=\"verdict\" id=\"verdict\">no verdict: the run stopped (" +
			escape(str(j, "stopped")) + "); below is what it had seen</p>\n";
	else if (verdict.empty())
		body += "<p class=\"verdict\" id=\"verdict\">verdict: (not yet decided)</p>\n";
	else
		body += fmt::format(
			"<p class=\"verdict\" id=\"verdict\" style=\"border-color:{}\">verdict: <b "
			"class=\"{}\">{}</b>: {} <span class=\"note\">(confidence {:.2f}, exit {})</span></p>\n",
			status_colour(verdict), escape(verdict), escape(verdict), escape(str(j, "reason")),
			j.value("confidence", 0.0), j.value("exit_code", -1));

	body += "<h2>Runs</h2>\n" + run_timeline_svg(j.value("runs", json::array())) + "\n";
	body += "<table id=\"runs\"><tr><th>run</th><th>outcome</th><th>report or reason</th><th>holder</th>"
		"<th>seconds</th><th>console</th></tr>\n";
	for (const auto &r : j.value("runs", json::array())) {
		std::string status = str(r, "status");
		std::string what = str(r, "title").empty() ? str(r, "detail") : str(r, "title");
		std::string secs = r.contains("seconds") ? fmt::format("{:.1f}", r["seconds"].get<double>())
				   : r.contains("seconds_to_report")
					   ? fmt::format("{:.1f} to the report", r["seconds_to_report"].get<double>())
					   : "";
		std::string console = r.contains("boot") ? fmt::format("<a href=\"console-{0}.log\">boot #{0}</a>",
								       r["boot"].get<int>())
							 : "";
		body += fmt::format("<tr><td>#{}</td><td class=\"{}\">{}</td><td>{}</td><td class=\"mono\">{}</td>"
				    "<td>{}</td><td>{}</td></tr>\n",
				    r.value("run", 0), escape(status), escape(status), escape(what),
				    escape(str(r, "holder")), secs, console);
	}
	body += "</table>\n";

	// A bad run: who waited, who held, where each was.
	bool any = false;
	for (const auto &r : j.value("runs", json::array()))
		if (r.contains("hang") && r["hang"].is_object()) {
			if (!any)
				body += "<h2>The hang: waiter and holder</h2>\n";
			any = true;
			body += hang_html(r);
		}

	body += "<h2>Kernel and settings</h2>\n<table id=\"settings\">\n";
	body += row("kernel", str(k, "spec")) + row("release", str(k, "release")) + row("kind", str(k, "kind")) +
		row("signature", str(k, "signature")) + row("target", str(j, "target"));
	const json settings = j.value("settings", json::object()); // items() keeps a reference
	for (const auto &[key, v] : settings.items())
		body += row(key, text_of(v));
	if (j.contains("module"))
		body += row("pipewatch.ko", j["module"].value("built", false)
						    ? "loaded into the guest"
						    : "not used: " + str(j["module"], "error"));
	body += "</table>\n";

	body += "<h2>Boots</h2>\n<table id=\"boots\"><tr><th>boot</th><th>accel</th><th>seconds</th>"
		"<th>ended</th><th>console</th></tr>\n";
	for (const auto &b : j.value("boots", json::array())) {
		int n = b.value("boot", 0);
		body += fmt::format(
			"<tr><td>#{}</td><td>{}</td><td>{:.1f}</td><td>{}</td><td><a "
			"href=\"console-{}.log\">console-{}.log</a> ({} bytes)</td></tr>\n",
			n, escape(str(b, "accel")), b.value("seconds", 0.0),
			escape(str(b, "end") + (str(b, "stop_reason").empty() ? "" : ": " + str(b, "stop_reason"))), n,
			n, b.value("console_bytes", 0));
	}
	body += "</table>\n";

	std::string reports;
	for (const auto &r : j.value("reports", json::array()))
		reports += fmt::format("<li><code>{}</code> (console lines {}-{}){}</li>\n", escape(str(r, "title")),
				       r.value("start_line", 0), r.value("end_line", 0),
				       r.value("corrupted", false) ? " corrupted" : "");
	if (!reports.empty())
		body += "<h2>Every kernel report</h2>\n<ul id=\"reports\">\n" + reports + "</ul>\n";
	return page("pipehang run: " + name, body, in_progress);
}

void write_run_report(const fs::path &dir, const json &judgement, bool in_progress)
{
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw std::runtime_error("cannot make the report directory " + dir.string() + ": " + ec.message());
	for (const auto &b : judgement.value("boots", json::array())) {
		fs::path from = str(b, "console");
		if (from.empty() || !fs::is_regular_file(from, ec))
			continue;
		fs::path to = dir / fmt::format("console-{}.log", b.value("boot", 0));
		fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
		if (ec)
			throw std::runtime_error("cannot copy " + from.string() + " to " + to.string() + ": " +
						 ec.message());
	}
	write_atomically(dir / "index.html", run_report_html(judgement, in_progress));
}

} // namespace pipehang::html
