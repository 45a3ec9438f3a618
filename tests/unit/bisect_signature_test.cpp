// Kernel signatures: the ELF section hash on a real ELF file (the unit test
// binary itself) and on bad input; the libelf-mapped reading gives exactly
// the hash of the earlier whole-file reading (kept here as the reference),
// so signatures recorded before stay comparable.
#include "bisect/kernel_oracle.h"
#include "bisect/kernel_signature.h"

#include <gtest/gtest.h>

#include "util/sha256.h"

#include <elf.h>
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

using namespace pipehang::bisect;

namespace {
std::string self_path()
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	return n > 0 ? std::string(buf, n) : std::string();
}
// The reference: the whole file read into memory and parsed by hand.
SignatureResult read_whole_signature(const std::string &path)
{
	SignatureResult r;
	std::ifstream in(path, std::ios::binary);
	if (!in) {
		r.error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
		return r;
	}
	std::vector<char> img((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	auto bad = [&](std::string_view why) {
		r.error = fmt::format("{} is not a usable vmlinux: {}", path, why);
		return r;
	};
	if (img.size() < sizeof(Elf64_Ehdr) || std::memcmp(img.data(), ELFMAG, SELFMAG) != 0)
		return bad("not an ELF file");
	Elf64_Ehdr eh;
	std::memcpy(&eh, img.data(), sizeof eh);
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return bad("not a 64-bit ELF file");
	if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff == 0 ||
	    eh.e_shoff + std::uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr) > img.size() || eh.e_shstrndx >= eh.e_shnum)
		return bad("truncated or missing section headers");
	std::vector<Elf64_Shdr> sh(eh.e_shnum);
	std::memcpy(sh.data(), img.data() + eh.e_shoff, eh.e_shnum * sizeof(Elf64_Shdr));
	const Elf64_Shdr &strtab = sh[eh.e_shstrndx];
	if (strtab.sh_offset + strtab.sh_size > img.size())
		return bad("truncated section name table");

	pipehang::util::Sha256 h;
	int hashed = 0;
	for (const auto &s : sh) {
		if (!(s.sh_flags & SHF_ALLOC) || s.sh_type != SHT_PROGBITS)
			continue; // only bytes the kernel loads and runs (not .bss, not symbols)
		if (s.sh_name >= strtab.sh_size)
			return bad("bad section name offset");
		const char *name = img.data() + strtab.sh_offset + s.sh_name;
		std::string_view nm(name, strnlen(name, strtab.sh_size - s.sh_name));
		if (nm == ".notes")
			continue;
		if (s.sh_offset + s.sh_size > img.size())
			return bad(fmt::format("section {} extends past the end of the file", nm));
		h.update(nm);
		std::uint64_t size = s.sh_size;
		h.update(std::string_view(reinterpret_cast<const char *>(&size), sizeof size));
		h.update(std::string_view(img.data() + s.sh_offset, s.sh_size));
		hashed++;
	}
	if (hashed == 0)
		return bad("no loadable sections");
	r.ok = true;
	r.signature = h.hex();
	return r;
}

} // namespace

TEST(BisectSignature, MappedReadingMatchesTheWholeFileReference)
{
	auto mapped = kernel_signature(self_path());
	auto whole = read_whole_signature(self_path());
	ASSERT_TRUE(mapped.ok) << mapped.error;
	ASSERT_TRUE(whole.ok) << whole.error;
	EXPECT_EQ(mapped.signature, whole.signature);
}

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
	std::ofstream(tmpl, std::ios::binary | std::ios::trunc) << std::string("\x7f"
									       "ELF\x02\x01\x01",
									       7)
								<< std::string(57, '\xff');
	auto trunc = kernel_signature(tmpl);
	EXPECT_FALSE(trunc.ok);
	std::remove(tmpl);
}

TEST(BisectSignature, ConfigHashIgnoresCommentsAndFollowsOptions)
{
	char tmpl[] = "/tmp/bisect-cfg-XXXXXX";
	int fd = mkstemp(tmpl);
	ASSERT_GE(fd, 0);
	close(fd);
	auto write = [&](const std::string &text) { std::ofstream(tmpl, std::ios::trunc) << text; };
	write("#\n# Linux/x86 6.1.0 Kernel Configuration\n#\nCONFIG_EXT4_FS=y\n# CONFIG_VIRTIO_BLK is not set\n");
	std::string a = config_hash(tmpl);
	write("# another header\nCONFIG_EXT4_FS=y\n");
	std::string b = config_hash(tmpl);
	write("CONFIG_EXT4_FS=y\nCONFIG_VIRTIO_BLK=y\n");
	std::string c = config_hash(tmpl);
	std::remove(tmpl);
	EXPECT_EQ(a.size(), 64u);
	EXPECT_EQ(a, b); // comments and the header do not count
	EXPECT_NE(a, c); // an option does
	EXPECT_EQ(config_hash("/nonexistent/.config"), "");
}
