#include "cli_fixture.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace pipehang::clitest {

namespace fs = std::filesystem;

namespace {

void write(const fs::path &file, const std::string &text)
{
	fs::create_directories(file.parent_path());
	std::ofstream(file) << text;
}

void sh(const std::string &cmd)
{
	if (std::system(cmd.c_str()) != 0)
		throw std::runtime_error("fixture command failed: " + cmd);
}

// What the kernel-tree check reads (bisect/kernel_tree.h), nothing more.
void stand_in_kernel_tree(const fs::path &dir)
{
	write(dir / "Makefile", "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n");
	write(dir / "Kconfig", "mainmenu \"stand-in\"\n");
	write(dir / "arch/x86/Kconfig", "\n");
}

// A git history of six commits in DIR (HEAD~5 exists).
void git_history(const fs::path &dir)
{
	const std::string git = "git -C '" + dir.string() + "' -c user.name=t -c user.email=t@t ";
	sh(git + "init -q");
	for (int i = 0; i < 6; i++) {
		write(dir / "history", std::to_string(i) + "\n");
		sh(git + "add -A && " + git + "commit -q -m 'commit " + std::to_string(i) + "'");
	}
}

} // namespace

CliFixture::CliFixture(const std::string &text)
{
	auto uses = [&](const char *name) { return text.find(std::string("{") + name + "}") != std::string::npos; };
	char templ[] = "/tmp/pipehang-cli-test.XXXXXX";
	if (!::mkdtemp(templ))
		throw std::runtime_error("mkdtemp failed");
	tmp_ = templ;
	places_["tmp"] = tmp_.string();
	write(tmp_ / "file", "a regular file\n");
	places_["file"] = (tmp_ / "file").string();
	fs::create_directories(tmp_ / "dir");
	places_["dir"] = (tmp_ / "dir").string();
	// One MiB over parse's 64 MiB bound, sparse: refused by its size alone.
	fs::path big = tmp_ / "big.log";
	std::ofstream(big).close();
	fs::resize_file(big, (65u << 20));
	places_["big"] = big.string();
	write(tmp_ / "makefile-only/Makefile", "all:\n\t@false\n");
	places_["makefile_only"] = (tmp_ / "makefile-only").string();
	stand_in_kernel_tree(tmp_ / "kernel-tree");
	places_["kernel_tree"] = (tmp_ / "kernel-tree").string();
	places_["kernel_git"] = (tmp_ / "kernel-git").string();
	if (uses("kernel_git")) {
		stand_in_kernel_tree(tmp_ / "kernel-git");
		git_history(tmp_ / "kernel-git");
	}
	places_["plain_git"] = (tmp_ / "plain-git").string();
	if (uses("plain_git")) {
		write(tmp_ / "plain-git/Makefile", "all:\n\t@true\n");
		git_history(tmp_ / "plain-git");
	}
}

CliFixture::~CliFixture()
{
	std::error_code ec;
	fs::remove_all(tmp_, ec);
}

std::string CliFixture::fill(std::string text) const
{
	for (const auto &[name, path] : places_) {
		const std::string key = "{" + name + "}";
		for (std::size_t at; (at = text.find(key)) != std::string::npos;)
			text.replace(at, key.size(), path);
	}
	return text;
}

} // namespace pipehang::clitest
