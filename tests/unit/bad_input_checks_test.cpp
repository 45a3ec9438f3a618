// The library checks behind issue 22 ("bad input never becomes a
// verdict"): files named on the command line, kernel source trees,
// bisection ranges, the build script's input errors, and the console
// directory an error leaves behind.
#include "bisect/git_repo.h"
#include "bisect/kernel_oracle.h"
#include "bisect/kernel_tree.h"
#include "bisect/range_check.h"
#include "oracle/console_dir.h"
#include "util/file_checks.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace pipehang;
namespace fs = std::filesystem;

namespace {

class Scratch {
public:
	Scratch()
	{
		char tmpl[] = "/tmp/pipehang-bad-input-XXXXXX";
		dir = ::mkdtemp(tmpl);
	}
	~Scratch() { fs::remove_all(dir); }
	fs::path write(const std::string &name, const std::string &text) const
	{
		fs::create_directories((dir / name).parent_path());
		std::ofstream(dir / name) << text;
		return dir / name;
	}
	void sh(const std::string &cmd) const
	{
		std::string full = "cd '" + dir.string() + "' && " + cmd + " >/dev/null 2>&1";
		ASSERT_EQ(std::system(full.c_str()), 0) << cmd;
	}
	fs::path dir;
};

} // namespace

TEST(FileChecks, InputMustBeARegularReadableFile)
{
	Scratch s;
	EXPECT_EQ(util::input_file_problem(s.write("a.sh", "true\n")), "");
	EXPECT_EQ(util::input_file_problem(s.dir), "is a directory");
	EXPECT_EQ(util::input_file_problem("/dev/zero"), "is a device, not a regular file");
	EXPECT_EQ(util::input_file_problem(s.dir / "nope"), "No such file or directory");
	EXPECT_EQ(util::input_file_problem(""), "empty path");
}

TEST(FileChecks, OutputIsProbedWithoutCreatingOrTruncating)
{
	Scratch s;
	fs::path kept = s.write("kept.json", "old report\n");
	EXPECT_EQ(util::output_file_problem(kept), "");
	std::ifstream in(kept);
	std::string line;
	std::getline(in, line);
	EXPECT_EQ(line, "old report") << "the probe truncated the file";
	EXPECT_EQ(util::output_file_problem(s.dir / "new.json"), "");
	EXPECT_FALSE(fs::exists(s.dir / "new.json")) << "the probe created the file";
	EXPECT_EQ(util::output_file_problem("/dev/null"), "");
	EXPECT_EQ(util::output_file_problem(s.dir), "is a directory");
	EXPECT_EQ(util::output_file_problem(kept / "x.json"), kept.string() + " is not a directory");
	EXPECT_EQ(util::output_file_problem(s.dir / "no/such/dir/x.json"),
		  "its directory " + (s.dir / "no/such/dir").string() + " does not exist");
}

TEST(FileChecks, OutputDirectoryMayBeNewUnderAWritableOne)
{
	Scratch s;
	EXPECT_EQ(util::output_dir_problem(s.dir), "");
	EXPECT_EQ(util::output_dir_problem(s.dir / "new/deeper"), "");
	EXPECT_FALSE(fs::exists(s.dir / "new")) << "the probe created the directory";
	fs::path file = s.write("file", "x");
	EXPECT_EQ(util::output_dir_problem(file), "exists and is not a directory");
	EXPECT_EQ(util::output_dir_problem(file / "consoles"), file.string() + " is not a directory");
}

TEST(FileChecks, BoundedReadRefusesDevicesAndOversizeInput)
{
	Scratch s;
	std::string out, error;
	EXPECT_TRUE(util::read_bounded(s.write("small.log", "0123456789").string(), 10, out, error)) << error;
	EXPECT_EQ(out, "0123456789");
	out.clear();
	EXPECT_FALSE(util::read_bounded(s.write("eleven.log", "0123456789A").string(), 10, out, error));
	EXPECT_EQ(error, "11 bytes, larger than the 10 byte limit");
	out.clear();
	EXPECT_FALSE(util::read_bounded("/dev/zero", 1 << 20, out, error));
	EXPECT_EQ(error, "is a device, not a regular file");
	EXPECT_TRUE(out.empty());
	EXPECT_FALSE(util::read_bounded(s.dir.string(), 10, out, error));
	EXPECT_EQ(error, "is a directory");
}

TEST(KernelTree, NeedsAVersionedMakefileKconfigAndArchX86)
{
	Scratch s;
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir / "nope"), "no such directory");
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir), "no Makefile, no Kconfig, no arch/x86");
	s.write("Makefile", "all:\n\t@true\n");
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir),
		  "its Makefile sets no VERSION and PATCHLEVEL, no Kconfig, no arch/x86");
	// The kernel's own Makefile spells them "VERSION = 6", "PATCHLEVEL = 1".
	s.write("Makefile", "# SPDX-License-Identifier: GPL-2.0\nVERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\n");
	s.write("Kconfig", "mainmenu \"Linux\"\n");
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir), "no arch/x86");
	fs::create_directories(s.dir / "arch/x86");
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir), "");
	// VERSIONX or a PATCHLEVEL inside a recipe are not the variables.
	s.write("Makefile", "VERSIONX = 6\n\techo PATCHLEVEL = 1\n");
	EXPECT_EQ(bisect::kernel_tree_problem(s.dir), "its Makefile sets no VERSION and PATCHLEVEL");
}

TEST(RangeCheck, SameCommitAndReversedEndsAreUsageErrors)
{
	Scratch s;
	s.sh("git init -q -b master . && git config user.name t && git config user.email t@t");
	for (int i = 0; i < 6; i++) {
		s.write("f", std::to_string(i));
		s.sh("git add f && git commit -q -m c" + std::to_string(i));
	}
	s.sh("git checkout -q -b side HEAD~3 && echo s >g && git add g && git commit -q -m side && git checkout -q "
	     "master");
	bisect::GitRepo repo(s.dir);
	auto head = repo.resolve("HEAD");
	auto old = repo.resolve("HEAD~5");
	auto side = repo.resolve("side");
	EXPECT_EQ(bisect::range_problem(repo, "HEAD~5", old, "HEAD", head), "");
	std::string same = bisect::range_problem(repo, "HEAD", head, "master", head);
	EXPECT_NE(same.find("--good HEAD and --bad master are the same commit"), std::string::npos) << same;
	std::string swapped = bisect::range_problem(repo, "HEAD", head, "HEAD~5", old);
	EXPECT_NE(swapped.find("is newer than --bad HEAD~5"), std::string::npos) << swapped;
	std::string apart = bisect::range_problem(repo, "side", side, "HEAD", head);
	EXPECT_NE(apart.find("is not an ancestor of --bad HEAD"), std::string::npos) << apart;
	EXPECT_NE(apart.find("separate branches"), std::string::npos) << apart;
}

// build-kernel.sh's usage exit (2) and its "config lacks what the oracle
// needs" (3) are bad input -- an error verdict -- and a failed build (1) a
// skip. The options missing are read from the script's --result-file (its
// result as data), not from its messages.
TEST(KernelOracleBuild, BuildScriptUsageAndConfigExitsAreInputErrors)
{
	Scratch s;
	auto script = [&](int status, const std::string &say, const std::string &result = "") {
		// Writes `result` to the --result-file it is given, says `say` and exits.
		std::string text = "#!/bin/sh\n"
				   "while [ $# -gt 1 ]; do [ \"$1\" = --result-file ] && rf=$2; shift; done\n";
		text += "printf '" + result + "' >\"$rf\"\n";
		text += "echo '" + say + "' >&2\nexit " + std::to_string(status) + "\n";
		fs::path p = s.write("build-" + std::to_string(status) + ".sh", text);
		fs::permissions(p, fs::perms::owner_all);
		bisect::KernelOracleOptions o;
		o.tree = s.dir;
		o.build_script = p;
		return bisect::KernelOracle(o).build({});
	};
	bisect::BuildOutcome usage = script(2, "build-kernel: /x is not a kernel source tree");
	EXPECT_FALSE(usage.ok);
	EXPECT_TRUE(usage.input_error);
	EXPECT_NE(usage.error.find("refused its input: build-kernel: /x is not a kernel source tree"),
		  std::string::npos)
		<< usage.error;
	bisect::Evaluation ev;
	ev.build = usage;
	EXPECT_EQ(ev.verdict(), bisect::Verdict::error);

	bisect::BuildOutcome config =
		script(3, "build-kernel: the configuration lacks what the pipehang oracle needs:",
		       "status=config-unusable\\nexit=3\\nmissing=CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m)\\n"
		       "missing=CONFIG_EXT4_FS=y (is: )\\n");
	EXPECT_TRUE(config.input_error);
	EXPECT_NE(config.error.find("lacks what the oracle needs: CONFIG_VIRTIO_BLK=y (is: CONFIG_VIRTIO_BLK=m), "
				    "CONFIG_EXT4_FS=y (is: ); add them"),
		  std::string::npos)
		<< config.error;

	bisect::BuildOutcome failed = script(1, "build FAILED");
	EXPECT_FALSE(failed.input_error);
	ev.build = failed;
	EXPECT_EQ(ev.verdict(), bisect::Verdict::skip);
}

// --jobs and --icecc reach build-kernel.sh as its own flags (the script
// makes the cluster's environment and puts icecc behind ccache); -j is not
// capped by this machine's cores.
TEST(KernelOracleBuild, JobsAndIceccReachTheBuildScript)
{
	Scratch s;
	const fs::path args = s.dir / "args";
	fs::path p = s.write("build.sh", "#!/bin/sh\necho \"$*\" >'" + args.string() + "'\nexit 1\n");
	fs::permissions(p, fs::perms::owner_all);
	auto argv_of = [&](bool icecc) {
		bisect::KernelOracleOptions o;
		o.tree = s.dir;
		o.build_script = p;
		o.jobs = 64;
		o.icecc = icecc;
		bisect::KernelOracle(o).build({});
		std::ifstream in(args);
		std::string line;
		std::getline(in, line);
		return line;
	};
	std::string with = argv_of(true);
	EXPECT_EQ(with.rfind("--jobs 64 --icecc ", 0), 0U) << with;
	std::string without = argv_of(false);
	EXPECT_EQ(without.rfind("--jobs 64 ", 0), 0U) << without;
	EXPECT_EQ(without.find("--icecc"), std::string::npos) << without;
}

TEST(ConsoleDir, AnErrorLeavesNoEmptyConsoleDirectory)
{
	Scratch s;
	fs::path made = s.dir / "consoles/20261204T000000Z-1";
	fs::create_directories(made);
	std::ofstream(made / "console-1.log").close(); // QEMU never wrote a byte
	oracle::discard_empty_consoles(made, true);
	EXPECT_FALSE(fs::exists(made));

	// A console with content is evidence: kept, and its directory too.
	fs::path kept = s.dir / "consoles/20261204T000001Z-2";
	fs::create_directories(kept);
	std::ofstream(kept / "console-1.log") << "Linux version 6.1.0\n";
	std::ofstream(kept / "console-2.log").close();
	oracle::discard_empty_consoles(kept, true);
	EXPECT_TRUE(fs::exists(kept / "console-1.log"));
	EXPECT_FALSE(fs::exists(kept / "console-2.log"));

	// The user's own --console-dir stays, even empty.
	fs::path users = s.dir / "mine";
	fs::create_directories(users);
	oracle::discard_empty_consoles(users, false);
	EXPECT_TRUE(fs::exists(users));
}
