// The files and trees the bad-input rows name, made once per test process
// in a private temporary directory, and the placeholder filling.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace pipehang::clitest {

class CliFixture {
public:
	// Makes what TEXT names ({kernel_git}, ...; a git history costs a
	// second on a loaded machine, so only what a row uses).
	explicit CliFixture(const std::string &text);
	~CliFixture();
	CliFixture(const CliFixture &) = delete;
	CliFixture &operator=(const CliFixture &) = delete;

	// TEXT with every {name} replaced by its path.
	std::string fill(std::string text) const;
	const std::filesystem::path &tmp() const { return tmp_; }

private:
	std::filesystem::path tmp_;
	std::map<std::string, std::string> places_;
};

} // namespace pipehang::clitest
