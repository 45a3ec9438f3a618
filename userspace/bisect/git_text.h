// What the git CLI wrappers (git_repo.cpp, git_bisect.cpp) share: the error
// they throw and how they read git's output. Its own header so that neither
// wrapper includes the other for it.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace pipehang::bisect {

struct GitError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

// `s` without trailing newlines, spaces and carriage returns.
std::string trim(std::string s);

// The non-empty lines of `s`.
std::vector<std::string> lines_of(const std::string &s);

} // namespace pipehang::bisect
