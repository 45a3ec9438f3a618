#include "html/bisect_report.h"

#include "html/escape.h"
#include "html/history_svg.h"
#include "html/page.h"

#include <fmt/format.h>

#include <stdexcept>

namespace pipehang::html {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string s(const json &j, const char *k)
{
	return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
}

std::string commit_html(const json &c)
{
	if (!c.is_object())
		return "(none)";
	return fmt::format("<code>{}</code> {}", escape(s(c, "id").substr(0, 12)), escape(s(c, "subject")));
}

std::string secs(const json &t, const char *k)
{
	double v = t.value(k, 0.0);
	return v > 0 ? fmt::format("{:.0f} s", v) : "";
}

std::string revisions_table(const json &b, std::size_t index)
{
	std::string out = fmt::format("<table class=\"revisions\" id=\"revisions-{}\"><tr><th>#</th><th>commit</th>"
				      "<th>subject</th><th>why tested</th><th>verdict</th><th>crash or reason</th>"
				      "<th>build</th><th>test</th><th>kernel signature</th><th>run report</th></tr>\n",
				      index);
	int n = 0;
	for (const auto &t : b.value("tested", json::array())) {
		std::string verdict = s(t, "verdict");
		std::string why = s(t, "title").empty() ? s(t, "reason") : s(t, "title");
		if (t.value("entry_unavailable", false))
			why += (why.empty() ? "" : "; ") + std::string("the reproducer's entry point is missing here");
		std::string sig = s(t, "signature").substr(0, 12);
		if (t.value("reused", false))
			sig += " (verdict reused from " + s(t, "reused_from").substr(0, 12) + ")";
		std::string link = t.contains("report") && t["report"].is_string()
					   ? fmt::format("<a href=\"{}\">run report</a>", escape(s(t, "report")))
					   : "";
		out += fmt::format(
			"<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"{}\">{}</td>"
			"<td>{}</td><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td>{}</td></tr>\n",
			++n, escape(s(t, "id").substr(0, 12)), escape(s(t, "subject")), escape(s(t, "role")),
			escape(verdict), escape(verdict), escape(why), secs(t, "build_seconds"),
			secs(t, "test_seconds"), escape(sig), link);
	}
	return out + "</table>\n";
}

std::string search_html(const json &b)
{
	const json &g = b.value("good_end_search", json::object());
	if (!g.value("ran", false))
		return "";
	std::string out = "<h3>Search for a good end</h3>\n<p>";
	out += b.value("good_end_was_bad", false)
		       ? fmt::format(
				 "The given good end <code>{}</code> was <b class=\"bad\">bad</b>: the bug is older "
				 "than the given range, so pipehang searched back for a good revision.",
				 escape(s(b, "given_good")))
		       : std::string("No good end was given: pipehang searched back from the bad end.");
	out += "</p>\n<ol class=\"search\">\n";
	for (const auto &r : g.value("searched", json::array()))
		out += fmt::format("<li><code>{}</code> {} ({}): <span class=\"{}\">{}</span>{}</li>\n",
				   escape(s(r, "id").substr(0, 12)), escape(s(r, "label")), escape(s(r, "found_by")),
				   escape(s(r, "verdict")), escape(s(r, "verdict")),
				   s(r, "reason").empty() ? "" : " &ndash; " + escape(s(r, "reason")));
	out += "</ol>\n";
	if (b.contains("found_good") && b["found_good"].is_object())
		out += "<p>Good end found: " + commit_html(b["found_good"]) + "</p>\n";
	return out;
}

// The answer of one bisection: culprit, its checks and reasoning.
std::string answer_html(const json &b, std::size_t index)
{
	std::string out =
		fmt::format("<div class=\"side answer\" id=\"answer-{}\"><h3>{} mode</h3>\n<p class=\"note\">{}</p>\n",
			    index, escape(s(b, "mode")), escape(s(b, "mode_description")));
	if (!b.value("completed", false) && !s(b, "error").empty())
		out += "<p class=\"bad\">bisection stopped: " + escape(s(b, "error")) + "</p>\n";
	if (b.contains("culprit") && b["culprit"].is_object()) {
		out += "<p class=\"culprit\" id=\"culprit-" + std::to_string(index) + "\">first bad commit: <b>" +
		       commit_html(b["culprit"]) + "</b></p>\n";
		out += fmt::format(
			"<p>revert check: <b>{}</b>{}</p>\n", escape(s(b, "verification")),
			s(b, "verification_detail").empty() ? "" : " &ndash; " + escape(s(b, "verification_detail")));
		if (b.value("same_signature_as_parent", false))
			out += "<p class=\"skip\">The culprit and its parent build the same kernel code: the "
			       "reproducer "
			       "is flaky, the culprit cannot have changed the behaviour.</p>\n";
		if (b.contains("merge") && b["merge"].is_object()) {
			out += "<p>The culprit is a merge:</p><ul>\n";
			for (const auto &l : b["merge"].value("explanation", json::array()))
				out += "<li>" + escape(l.is_string() ? l.get<std::string>() : l.dump()) + "</li>\n";
			out += "</ul>\n";
		}
	} else if (!b.value("candidates", json::array()).empty()) {
		out += "<p>No single culprit; the first bad commit is one of:</p><ul>\n";
		for (const auto &c : b["candidates"])
			out += "<li>" + commit_html(c) + "</li>\n";
		out += "</ul>\n";
	} else if (b.value("completed", false)) {
		out += "<p>no culprit</p>\n";
	} else {
		out += "<p class=\"note\">bisecting...</p>\n";
	}
	const json &fc = b.value("false_culprit", json::array());
	if (!fc.empty()) {
		out += "<p class=\"bad\" id=\"false-culprit-" + std::to_string(index) +
		       "\"><b>Possibly a false culprit:</b></p><ul class=\"false-culprit\">\n";
		for (const auto &r : fc)
			out += "<li>" + escape(r.is_string() ? r.get<std::string>() : r.dump()) + "</li>\n";
		out += "</ul>\n";
	}
	out += fmt::format("<p class=\"note\">{} revisions built, {} verdicts reused; {:.0f} s in all (build {:.0f} s, "
			   "test {:.0f} s)</p>\n",
			   b.value("revisions_tested", 0), b.value("verdicts_reused", 0), b.value("total_seconds", 0.0),
			   b.value("build_seconds", 0.0), b.value("test_seconds", 0.0));
	return out + "</div>\n";
}

} // namespace

std::string bisect_report_html(const json &d, bool in_progress)
{
	const json &bis = d.value("bisections", json::array());
	std::string body = fmt::format(
		"<p>tree <code>{}</code>; given good <code>{}</code>, bad <code>{}</code></p>\n", escape(s(d, "tree")),
		escape(s(d, "given_good").empty() ? "(none)" : s(d, "given_good")), escape(s(d, "given_bad")));
	// The answer first: each bisection's culprit side by side (syzbot's
	// answer with its false-culprit reasoning next to the re-bisection's).
	body += "<h2>Answer</h2>\n<div class=\"sides\" id=\"answers\">\n";
	for (std::size_t i = 0; i < bis.size(); i++)
		body += answer_html(bis[i], i);
	body += "</div>\n";
	body += "<h2>History</h2>\n" + history_svg(d.value("history", json::array()), bis) + "\n";
	for (std::size_t i = 0; i < bis.size(); i++) {
		body += fmt::format("<h2>Revisions tested, {} mode</h2>\n", escape(s(bis[i], "mode")));
		body += search_html(bis[i]);
		body += revisions_table(bis[i], i);
	}
	return page("pipehang bisect: " + s(d, "given_bad"), body, in_progress);
}

void write_bisect_report(const fs::path &dir, const json &data, bool in_progress)
{
	std::error_code ec;
	fs::create_directories(dir, ec);
	if (ec)
		throw std::runtime_error("cannot make the report directory " + dir.string() + ": " + ec.message());
	write_atomically(dir / "index.html", bisect_report_html(data, in_progress));
}

} // namespace pipehang::html
