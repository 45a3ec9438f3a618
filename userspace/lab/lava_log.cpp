#include "lab/lava_log.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace pipehang::lab {

std::string unescape_target_line(std::string_view msg)
{
	std::string out;
	out.reserve(msg.size());
	for (std::size_t i = 0; i < msg.size(); i++) {
		if (msg[i] == '\\' && i + 1 < msg.size() && msg[i + 1] == '"')
			continue; // the backslash LAVA put before a quote
		out += msg[i];
	}
	return out;
}

namespace {

std::string scalar(const YAML::Node &n, const char *key)
{
	const YAML::Node v = n[key];
	return v && v.IsScalar() ? v.as<std::string>() : std::string();
}

// One record; false if the line is not one.
bool read_record(std::string_view line, LavaLog &log, std::string &console)
{
	while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
		line.remove_suffix(1);
	if (line.rfind("- ", 0) == 0)
		line.remove_prefix(2);
	if (line.empty() || line.front() != '{')
		return false;
	YAML::Node rec;
	try {
		rec = YAML::Load(std::string(line));
	} catch (const YAML::Exception &) {
		return false;
	}
	if (!rec.IsMap() || !rec["lvl"])
		return false;
	const std::string lvl = scalar(rec, "lvl");
	const YAML::Node msg = rec["msg"];
	if (lvl == "target" && msg && msg.IsScalar()) {
		console += unescape_target_line(msg.as<std::string>());
		console += '\n';
	} else if (lvl == "error" && msg && msg.IsScalar()) {
		log.errors.push_back(msg.as<std::string>());
	} else if (lvl == "results" && msg && msg.IsMap()) {
		const std::string suite = scalar(msg, "definition"), name = scalar(msg, "case");
		if (suite == "lava" && name == "job") {
			LavaJobResult r;
			r.pass = scalar(msg, "result") == "pass";
			r.error_type = scalar(msg, "error_type");
			r.error_msg = scalar(msg, "error_msg");
			while (!r.error_msg.empty() && std::isspace(static_cast<unsigned char>(r.error_msg.back())))
				r.error_msg.pop_back();
			log.job = r;
		} else if (suite != "lava") {
			log.cases.push_back({suite, name, scalar(msg, "result")});
		}
	}
	return true;
}

} // namespace

std::string read_lava_log(std::string_view text, LavaLog &log, std::string &partial)
{
	std::string console;
	partial.append(text);
	std::size_t start = 0;
	for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
		std::string_view line(partial.data() + start, nl - start);
		if (line.empty())
			log.bad_lines++; // counted: a server's ?start= is a line number
		else if (read_record(line, log, console))
			log.lines++;
		else
			log.bad_lines++;
	}
	partial.erase(0, start);
	log.console += console;
	return console;
}

LavaLog parse_lava_log(std::string_view text)
{
	LavaLog log;
	std::string partial;
	read_lava_log(text, log, partial);
	if (!partial.empty()) {
		partial += '\n';
		std::string rest;
		read_lava_log(partial, log, rest);
	}
	return log;
}

} // namespace pipehang::lab
