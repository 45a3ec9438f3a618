#include "bisect/kernel_tree.h"

#include <fstream>
#include <vector>

namespace pipehang::bisect {

namespace fs = std::filesystem;

namespace {

// The kernel's Makefile starts with "VERSION = 6" and "PATCHLEVEL = 1".
bool sets_variable(const std::string &line, const std::string &name)
{
	if (line.rfind(name, 0) != 0)
		return false;
	std::size_t i = name.size();
	while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < line.size() && line[i] == '=';
}

} // namespace

std::string kernel_tree_problem(const fs::path &dir)
{
	std::error_code ec;
	if (!fs::is_directory(dir, ec))
		return "no such directory";
	std::vector<std::string> missing;
	std::ifstream makefile(dir / "Makefile");
	bool version = false, patchlevel = false;
	for (std::string line; makefile && std::getline(makefile, line);) {
		version = version || sets_variable(line, "VERSION");
		patchlevel = patchlevel || sets_variable(line, "PATCHLEVEL");
		if (version && patchlevel)
			break;
	}
	if (!makefile.is_open() && !fs::exists(dir / "Makefile", ec))
		missing.push_back("no Makefile");
	else if (!version || !patchlevel)
		missing.push_back("its Makefile sets no VERSION and PATCHLEVEL");
	if (!fs::is_regular_file(dir / "Kconfig", ec))
		missing.push_back("no Kconfig");
	if (!fs::is_directory(dir / "arch/x86", ec))
		missing.push_back("no arch/x86");
	std::string out;
	for (const auto &m : missing)
		out += (out.empty() ? "" : ", ") + m;
	return out;
}

} // namespace pipehang::bisect
