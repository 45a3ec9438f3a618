#include "flag_checks.h"

#include "util/file_checks.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

namespace pipehang::cli {

CLI::Validator not_empty(const std::string &hint)
{
	return CLI::Validator(
		[hint](std::string &value) { return value.empty() ? "empty value: " + hint : std::string(); }, "");
}

CLI::Validator whole_number(std::uint64_t lo, std::uint64_t hi)
{
	return CLI::Validator(
		[lo, hi](std::string &value) {
			std::string why = fmt::format("'{}' is not a whole number from {} to {}", value, lo, hi);
			if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
				return why;
			errno = 0;
			unsigned long long n = std::strtoull(value.c_str(), nullptr, 10);
			if (errno == ERANGE || n < lo || n > hi)
				return why;
			// CLI11 converts with base 0: keep "010" from reading as octal 8.
			value = std::to_string(n);
			return std::string();
		},
		fmt::format("{}..{}", lo, hi));
}

namespace {

CLI::Validator path_check(std::string (*problem)(const std::filesystem::path &), const char *name)
{
	return CLI::Validator(
		[problem](std::string &value) {
			std::string why = problem(value);
			return why.empty() ? why : fmt::format("{}: {}", value, why);
		},
		name);
}

} // namespace

CLI::Validator readable_file()
{
	return path_check(util::input_file_problem, "FILE");
}

CLI::Validator writable_file()
{
	return path_check(util::output_file_problem, "FILE");
}

CLI::Validator writable_dir()
{
	return path_check(util::output_dir_problem, "DIR");
}

} // namespace pipehang::cli
