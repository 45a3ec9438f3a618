#include "bisect/false_culprit.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>

namespace pipehang::bisect {

namespace {

std::vector<std::string> added_lines(std::string_view patch)
{
	std::vector<std::string> lines;
	std::istringstream in{std::string(patch)};
	std::string line;
	while (std::getline(in, line)) {
		if (line.size() > 1 && line[0] == '+' && line.rfind("+++", 0) != 0)
			lines.push_back(line.substr(1));
	}
	return lines;
}

void add_unique(std::vector<std::string> &v, const std::string &s)
{
	if (std::find(v.begin(), v.end(), s) == v.end())
		v.push_back(s);
}

bool contains(const std::vector<std::string> &v, const std::string &s)
{
	return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

std::vector<std::string> syscalls_added_by(std::string_view patch)
{
	static const std::regex define_re(R"(^\s*(?:COMPAT_)?SYSCALL_DEFINE\d\s*\(\s*(\w+))");
	static const std::regex table_re(R"(^\s*\d+\s+(?:common|64|x32)\s+(\w+)\s+\w+)");
	std::vector<std::string> names;
	for (const auto &line : added_lines(patch)) {
		std::smatch m;
		if (std::regex_search(line, m, define_re) || std::regex_search(line, m, table_re))
			add_unique(names, m[1].str());
	}
	return names;
}

std::vector<std::string> defines_added_by(std::string_view patch)
{
	static const std::regex re(R"(^\s*#\s*define\s+(\w+))");
	std::vector<std::string> names;
	for (const auto &line : added_lines(patch)) {
		std::smatch m;
		if (std::regex_search(line, m, re))
			add_unique(names, m[1].str());
	}
	return names;
}

std::vector<PatchSection> split_commits(std::string_view patch)
{
	static const std::regex head(R"(^commit ([0-9a-f]{4,64})\s*$)");
	std::vector<PatchSection> out;
	std::istringstream in{std::string(patch)};
	std::string line;
	bool want_subject = false;
	while (std::getline(in, line)) {
		std::smatch m;
		if (std::regex_match(line, m, head)) {
			out.push_back({m[1].str(), "", ""});
			want_subject = true;
			continue;
		}
		if (out.empty())
			out.push_back({"", "", ""}); // a patch without a header
		if (want_subject && !line.empty()) {
			std::size_t i = line.find_first_not_of(" \t");
			out.back().subject = i == std::string::npos ? line : line.substr(i);
			want_subject = false;
		}
		out.back().text += line + "\n";
	}
	return out;
}

std::vector<NameAdded> names_added_by(std::string_view patch)
{
	std::vector<NameAdded> out;
	for (const auto &sec : split_commits(patch)) {
		for (const auto &n : syscalls_added_by(sec.text))
			out.push_back({n, "syscall", sec.id, sec.subject});
		for (const auto &n : defines_added_by(sec.text))
			out.push_back({n, "flag", sec.id, sec.subject});
	}
	return out;
}

FalseCulpritFindings check_false_culprit(const FalseCulpritInput &in)
{
	FalseCulpritFindings f;
	for (const auto &entry : in.unavailable_on_good_side) {
		f.reasons.push_back(
			fmt::format("the reproducer's entry point {} was unavailable on {} revision(s) judged good: "
				    "those runs never reached splice -> O_DIRECT, so 'good' there means 'not tested'",
				    entry, in.good_revisions_with_unavailable_entry));
	}
	// A merge adds nothing itself: what counts is what it brings in.
	for (const auto &n : names_added_by(in.culprit_patch)) {
		if (!contains(in.used_names, n.name))
			continue;
		if (in.culprit_is_merge)
			f.reasons.push_back(fmt::format(
				"the culprit is a merge that brings in the {} {} (added by {} \"{}\"), which the "
				"reproducer uses",
				n.kind, n.name, n.commit_id.substr(0, 12), n.commit_subject));
		else
			f.reasons.push_back(
				fmt::format("the culprit adds the {} {}, which the reproducer uses", n.kind, n.name));
	}
	return f;
}

} // namespace pipehang::bisect
