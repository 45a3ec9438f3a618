#include "bisect/kernel_signature.h"

#include "guest/sha256.h"

#include <elf.h>
#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

namespace pipehang::bisect {

SignatureResult kernel_signature(const std::string &path)
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

	guest::Sha256 h; // shared with the guest image cache
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

} // namespace pipehang::bisect
