// A harness error (QEMU that fails at once: /bin/false) is exit error, never
// a verdict, and leaves no console directory behind in the cache (issue 22).
// No VM boots: a stand-in bzImage (just the boot header the harness reads)
// and a guest image built into a private cache.
#include "cli_fixture.h"

#include "util/exit_status.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;

TEST(HarnessError, LeavesNoConsoleDirectoryAndNoVerdict)
{
	pipehang::clitest::CliFixture fx("");
	// "HdrS" at 0x202: what guest::bzimage_release() checks.
	std::string header(0x400, '\0');
	header.replace(0x202, 4, "HdrS");
	std::ofstream(fx.tmp() / "bzImage", std::ios::binary) << header;
	std::string cmd = "PIPEHANG_CACHE='" + (fx.tmp() / "cache").string() + "' timeout 120 '" +
			  std::string(PIPEHANG_BIN_DIR) + "/pipehang' run --kernel '" +
			  (fx.tmp() / "bzImage").string() +
			  "' --qemu /bin/false --accel tcg --no-module --runs 1 --json 2>&1";
	FILE *p = ::popen(cmd.c_str(), "r");
	ASSERT_NE(p, nullptr);
	std::string out;
	char buf[4096];
	for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
		out.append(buf, n);
	int st = ::pclose(p);
	ASSERT_TRUE(WIFEXITED(st)) << out;
	EXPECT_EQ(WEXITSTATUS(st), pipehang::util::exit_status::error) << out;
	EXPECT_NE(out.find("pipehang run: harness error: QEMU exit status 1"), std::string::npos) << out;
	EXPECT_NE(out.find("\"verdict\": \"error\""), std::string::npos) << out;
	EXPECT_EQ(out.find("verdict: "), std::string::npos) << "a harness error printed a verdict line:\n" << out;
	// The guest image was built, so the judgement got as far as making a
	// console directory: it must be gone.
	fs::path consoles = fx.tmp() / "cache" / "consoles";
	ASSERT_TRUE(fs::exists(fx.tmp() / "cache" / "images")) << "did not get as far as a boot:\n" << out;
	std::error_code ec;
	for (auto it = fs::directory_iterator(consoles, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
		ADD_FAILURE() << "left behind: " << it->path();
}
