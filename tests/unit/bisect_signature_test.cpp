// Kernel signatures: the ELF section hash on a real ELF file (the unit test binary itself) and on bad input.
#include "bisect/kernel_signature.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace pipehang::bisect;

namespace {
std::string self_path()
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	return n > 0 ? std::string(buf, n) : std::string();
}
} // namespace

TEST(BisectSignature, SameFileSameSignature)
{
	auto a = kernel_signature(self_path());
	auto b = kernel_signature(self_path());
	ASSERT_TRUE(a.ok) << a.error;
	EXPECT_EQ(a.signature.size(), 64u);
	EXPECT_EQ(a.signature, b.signature);
}

TEST(BisectSignature, DifferentCodeDifferentSignature)
{
	auto a = kernel_signature(self_path());
	auto b = kernel_signature("/bin/true");
	ASSERT_TRUE(a.ok && b.ok);
	EXPECT_NE(a.signature, b.signature);
}

TEST(BisectSignature, RejectsMissingAndNonElfFiles)
{
	auto missing = kernel_signature("/nonexistent/vmlinux");
	EXPECT_FALSE(missing.ok);
	EXPECT_NE(missing.error.find("/nonexistent/vmlinux"), std::string::npos);

	char tmpl[] = "/tmp/bisect-sig-XXXXXX";
	int fd = mkstemp(tmpl);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(write(fd, "#!/bin/sh\necho not a kernel\n", 28), 28);
	close(fd);
	auto text = kernel_signature(tmpl);
	EXPECT_FALSE(text.ok);
	EXPECT_NE(text.error.find("not an ELF file"), std::string::npos) << text.error;

	// an ELF header whose section table points past the end
	std::ofstream(tmpl, std::ios::binary | std::ios::trunc) << std::string("\x7f" "ELF\x02\x01\x01", 7)
							       << std::string(57, '\xff');
	auto trunc = kernel_signature(tmpl);
	EXPECT_FALSE(trunc.ok);
	std::remove(tmpl);
}
