// What scripts/kernel/build-kernel.sh reports with --result-file: its
// result as data, one key=value a line (the script's header lists them).
// The oracle reads this instead of the script's messages on stderr, which
// are for people.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

struct BuildScriptResult {
	std::string status;                  // built | restored | failed | usage | config-unusable
	int exit_code = -1;                  // the script's exit status (exit=)
	std::filesystem::path log;           // the build log, once the tree is known
	std::filesystem::path restored_from; // status restored: the build cache entry
	// status config-unusable: each option the oracle needs that the
	// configuration lacks, "CONFIG_X=y (is: CONFIG_X=m)".
	std::vector<std::string> missing;
};

// Parses the file's text; unknown keys are ignored (a newer script may say
// more). nullopt when it holds no status (the script never got to write it).
std::optional<BuildScriptResult> parse_build_result(std::string_view text);

// Reads and parses FILE; nullopt when it is missing or holds no status.
std::optional<BuildScriptResult> read_build_result(const std::filesystem::path &file);

} // namespace pipehang::bisect
