#include "oracle/console_json.h"

#include "guest/markers.h"
#include "report/classifier.h"
#include "report/console_lines.h"
#include "report/holder.h"
#include "report/holder_frames.h"
#include "report/pipewatch_record.h"
#include "report/report_json.h"

#include <string>
#include <vector>

namespace pipehang::oracle {

namespace {

std::vector<std::string_view> raw_lines(std::string_view log)
{
	std::vector<std::string_view> out;
	size_t pos = 0;
	while (pos < log.size()) {
		size_t nl = log.find('\n', pos);
		if (nl == std::string_view::npos)
			nl = log.size();
		out.push_back(log.substr(pos, nl - pos));
		pos = nl + 1;
	}
	return out;
}

// The kernel timestamp of 1-based LINE, or null.
nlohmann::json time_of(const std::vector<std::string_view> &lines, size_t line)
{
	if (line == 0 || line > lines.size())
		return nullptr;
	auto t = report::kernel_time_us(lines[line - 1]);
	return t ? nlohmann::json(*t) : nlohmann::json(nullptr);
}

// key=value tokens of a pipewatch line (values have no blanks: the module
// replaces them in comm names).
nlohmann::json key_values(std::string_view text)
{
	nlohmann::json out = nlohmann::json::object();
	while (!text.empty()) {
		size_t sp = text.find(' ');
		std::string_view tok = text.substr(0, sp);
		size_t eq = tok.find('=');
		if (eq != std::string_view::npos && eq > 0)
			out[report::printable(tok.substr(0, eq))] = report::printable(tok.substr(eq + 1));
		if (sp == std::string_view::npos)
			break;
		text.remove_prefix(sp + 1);
	}
	return out;
}

// Whether a record's last line is its "id=N end" line (the collector takes
// nothing after it).
bool ended(const report::Report &r, const std::string &id)
{
	std::string_view text = r.text;
	while (!text.empty() && text.back() == ' ')
		text.remove_suffix(1);
	size_t nl = text.rfind('\n');
	std::string_view last = nl == std::string_view::npos ? text : text.substr(nl + 1);
	return last == std::string(report::kPipewatchTag) + "id=" + id + " end";
}

nlohmann::json record_json(const report::Report &r, const std::vector<std::string_view> &lines)
{
	auto field = [&](const char *key) {
		auto it = r.fields.find(key);
		return it == r.fields.end() ? std::string() : it->second;
	};
	nlohmann::json stacks = nlohmann::json::object();
	for (const auto &s : r.stacks)
		if (!stacks.contains(s.label))
			stacks[s.label] = s.frames;
	std::string id = field("id");
	return {
		{"id", id},
		{"event", field("event")},
		{"line", r.start_line},
		{"end_line", r.end_line},
		{"time_us", time_of(lines, r.start_line)},
		{"fields", r.fields},
		{"stacks", stacks},
		{"ended", ended(r, id)},
		{"corrupted", r.corrupted},
		{"corrupted_reason", r.corrupted_reason},
		{"title", r.title},
		{"holder", report::report_holder(r)},
		{"holder_frames", report::holder_frames(r)},
	};
}

} // namespace

nlohmann::json console_json(std::string_view log)
{
	std::vector<std::string_view> lines = raw_lines(log);
	nlohmann::json reports = nlohmann::json::array();
	nlohmann::json records = nlohmann::json::array();
	for (const auto &r : report::classify(log)) {
		reports.push_back(report::to_json(r));
		if (r.source == "pipewatch")
			records.push_back(record_json(r, lines));
	}

	// The module's other lines ("loaded: ...", "hold start ...", "X=N out of
	// range ..."): found the way the classifier finds records (the tag
	// anywhere in the message), minus the record lines themselves.
	nlohmann::json messages = nlohmann::json::array();
	std::vector<report::ConsoleLine> console = report::split_console(log);
	for (size_t i = 0; i < console.size(); i++) {
		std::string_view msg = console[i].msg;
		size_t at = msg.find(report::kPipewatchTag);
		if (at == std::string_view::npos)
			continue;
		std::string_view rest = msg.substr(at + report::kPipewatchTag.size());
		if (rest.substr(0, 6) == "event=" || rest.substr(0, 3) == "id=")
			continue;
		messages.push_back({
			{"line", i + 1},
			{"time_us", time_of(lines, i + 1)},
			{"text", report::printable(rest)},
			{"fields", key_values(rest)},
		});
	}

	nlohmann::json markers = nlohmann::json::array();
	for (const auto &m : guest::parse_markers(log))
		markers.push_back({
			{"line", m.line + 1},
			{"event", report::printable(m.event)},
			{"valid", m.valid},
			{"rejoined", m.rejoined},
			{"data", m.data},
			{"raw", report::printable(m.raw)},
		});

	return {
		{"reports", reports},
		{"markers", markers},
		{"pipewatch", {{"records", records}, {"messages", messages}}},
	};
}

} // namespace pipehang::oracle
