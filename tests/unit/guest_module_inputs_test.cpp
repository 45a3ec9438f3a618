// module_inputs_id() on a throw-away git "kernel tree": a change to a .c
// file keeps the id (pipewatch.ko is reused across such revisions), a
// change to anything an out-of-tree module build reads changes it, and a
// modified header or an unbuilt tree gives no id at all.
#include "guest/module_inputs.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using pipehang::guest::module_inputs_id;
namespace fs = std::filesystem;

namespace {

class FakeKernelTree : public ::testing::Test {
protected:
	void SetUp() override
	{
		char tmpl[] = "/tmp/module-inputs-XXXXXX";
		dir = mkdtemp(tmpl);
		sh("git init -q -b master . && git config user.name t && git config user.email t@t");
		write("Makefile", "VERSION = 6\n");
		write("include/linux/pipe_fs_i.h", "struct pipe_inode_info;\n");
		write("arch/x86/include/asm/page.h", "#define PAGE_SHIFT 12\n");
		write("arch/x86/Makefile", "KBUILD_CFLAGS += -m64\n");
		write("arch/x86/kernel/setup.c", "int setup;\n");
		write("scripts/Makefile.modpost", "modpost:\n");
		write("tools/objtool/check.c", "int check;\n");
		write("fs/pipe.c", "int pipe;\n");
		// Build products: untracked, as in a kernel tree (.gitignore).
		write(".gitignore", ".config\nModule.symvers\ngenerated/\ninclude/config/\n");
		sh("git add . && git commit -q -m base");
		write(".config", "CONFIG_SMP=y\n");
		write("Module.symvers", "");
		write("include/config/auto.conf", "CONFIG_SMP=y\n");
		write("include/config/kernel.release", "6.1.0-pipehang\n");
		write("include/generated/utsrelease.h", "#define UTS_RELEASE \"6.1.0-pipehang\"\n");
		write("arch/x86/include/generated/asm/syscalls_64.h", "__SYSCALL(0, sys_read)\n");
	}
	void TearDown() override { fs::remove_all(dir); }

	void sh(const std::string &cmd)
	{
		std::string full = "cd " + dir.string() + " && " + cmd + " >/dev/null 2>&1";
		ASSERT_EQ(std::system(full.c_str()), 0) << cmd;
	}
	void write(const std::string &file, const std::string &text)
	{
		fs::create_directories((dir / file).parent_path());
		std::ofstream(dir / file) << text;
	}
	void commit(const std::string &file, const std::string &text)
	{
		write(file, text);
		sh("git add " + file + " && git commit -q -m 'change " + file + "'");
	}
	fs::path dir;
};

} // namespace

TEST_F(FakeKernelTree, StableAndKeptAcrossSourceOnlyRevisions)
{
	std::string id = module_inputs_id(dir);
	ASSERT_EQ(id.size(), 64u);
	EXPECT_EQ(module_inputs_id(dir), id);
	commit("fs/pipe.c", "int pipe_changed;\n");
	EXPECT_EQ(module_inputs_id(dir), id) << "a .c change outside the build rules";
	commit("arch/x86/kernel/setup.c", "int setup_changed;\n");
	EXPECT_EQ(module_inputs_id(dir), id) << "arch/x86 sources below its top level";
	// An uncommitted .c edit is not read by a module build either.
	write("fs/pipe.c", "int pipe_dirty;\n");
	EXPECT_EQ(module_inputs_id(dir), id);
}

TEST_F(FakeKernelTree, ChangesWithWhatAModuleBuildReads)
{
	const std::string id = module_inputs_id(dir);
	ASSERT_FALSE(id.empty());
	const std::pair<const char *, const char *> committed[] = {
		{"include/linux/pipe_fs_i.h", "struct pipe_inode_info { int x; };\n"},
		{"arch/x86/include/asm/page.h", "#define PAGE_SHIFT 13\n"},
		{"arch/x86/Makefile", "KBUILD_CFLAGS += -m64 -O2\n"},
		{"scripts/Makefile.modpost", "modpost: changed\n"},
		{"tools/objtool/check.c", "int check_changed;\n"},
		{"Makefile", "VERSION = 7\n"},
	};
	std::string prev = id;
	for (auto [file, text] : committed) {
		commit(file, text);
		std::string now = module_inputs_id(dir);
		EXPECT_FALSE(now.empty()) << file;
		EXPECT_NE(now, prev) << "a committed change to " << file << " must change the id";
		prev = now;
	}
	const std::pair<const char *, const char *> generated[] = {
		{".config", "CONFIG_SMP=y\nCONFIG_PREEMPT=y\n"},
		{"Module.symvers", "0x0\tfoo\tvmlinux\tEXPORT_SYMBOL\t\n"},
		{"include/config/kernel.release", "6.1.1-pipehang\n"},
		{"include/generated/utsrelease.h", "#define UTS_RELEASE \"6.1.1-pipehang\"\n"},
		{"arch/x86/include/generated/asm/syscalls_64.h", "__SYSCALL(1, sys_write)\n"},
	};
	for (auto [file, text] : generated) {
		write(file, text);
		std::string now = module_inputs_id(dir);
		EXPECT_FALSE(now.empty()) << file;
		EXPECT_NE(now, prev) << "a new " << file << " must change the id";
		prev = now;
	}
}

TEST_F(FakeKernelTree, NoIdWhenTheInputsCannotBeNamed)
{
	write("include/linux/pipe_fs_i.h", "struct pipe_inode_info { int patched; };\n");
	EXPECT_EQ(module_inputs_id(dir), "") << "a modified header is not in the tree id";
	sh("git checkout -q -- include");
	write("Makefile", "VERSION = 6\nEXTRAVERSION = -rc1\n");
	EXPECT_EQ(module_inputs_id(dir), "") << "a modified top-level Makefile";
	sh("git checkout -q -- Makefile");
	ASSERT_FALSE(module_inputs_id(dir).empty());
	fs::remove(dir / "Module.symvers");
	EXPECT_EQ(module_inputs_id(dir), "") << "an unbuilt tree";
}

TEST_F(FakeKernelTree, NoIdOutsideAGitWorkTreeOfItsOwn)
{
	// A kernel tree unpacked inside another repository.
	fs::path inner = dir / "unpacked";
	fs::create_directories(inner / "include");
	std::ofstream(inner / ".config") << "CONFIG_SMP=y\n";
	EXPECT_EQ(module_inputs_id(inner), "");
	// No repository at all.
	char tmpl[] = "/tmp/module-inputs-plain-XXXXXX";
	fs::path plain = mkdtemp(tmpl);
	std::ofstream(plain / ".config") << "CONFIG_SMP=y\n";
	EXPECT_EQ(module_inputs_id(plain), "");
	fs::remove_all(plain);
}
