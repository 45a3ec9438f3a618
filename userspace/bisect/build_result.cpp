#include "bisect/build_result.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace pipehang::bisect {

std::optional<BuildScriptResult> parse_build_result(std::string_view text)
{
	BuildScriptResult r;
	std::istringstream in{std::string(text)};
	for (std::string l; std::getline(in, l);) {
		auto eq = l.find('=');
		if (eq == std::string::npos)
			continue;
		std::string key = l.substr(0, eq), value = l.substr(eq + 1);
		if (key == "status")
			r.status = value;
		else if (key == "exit")
			std::from_chars(value.data(), value.data() + value.size(), r.exit_code);
		else if (key == "log")
			r.log = value;
		else if (key == "restored_from")
			r.restored_from = value;
		else if (key == "missing")
			r.missing.push_back(value);
	}
	if (r.status.empty())
		return std::nullopt;
	return r;
}

std::optional<BuildScriptResult> read_build_result(const std::filesystem::path &file)
{
	std::ifstream in(file);
	if (!in)
		return std::nullopt;
	std::ostringstream text;
	text << in.rdbuf();
	return parse_build_result(text.str());
}

} // namespace pipehang::bisect
