// TestDir: a fresh directory for one unit test, removed with its contents
// afterwards (even when the test fails).
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace pipehang::testing {

class TestDir {
public:
	explicit TestDir(const char *base = "/var/tmp")
	{
		std::string tmpl = std::string(base) + "/pipehang-unit.XXXXXX";
		char *made = ::mkdtemp(tmpl.data());
		if (made)
			path_ = made;
	}
	~TestDir()
	{
		std::error_code ec;
		if (!path_.empty())
			std::filesystem::remove_all(path_, ec);
	}
	TestDir(const TestDir &) = delete;
	TestDir &operator=(const TestDir &) = delete;
	const std::string &path() const { return path_; }
	bool ok() const { return !path_.empty(); }

private:
	std::string path_;
};

} // namespace pipehang::testing
