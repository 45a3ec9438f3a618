#include "bisect/kernel_signature.h"

#include "util/sha256.h"

#include <fmt/format.h>
#include <gelf.h>
#include <libelf.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace pipehang::bisect {

using namespace pipehang::util;

namespace {

// Closes what kernel_signature opened, on every return path.
struct ElfFile {
	int fd = -1;
	Elf *elf = nullptr;
	~ElfFile()
	{
		if (elf)
			elf_end(elf);
		if (fd >= 0)
			close(fd);
	}
};

} // namespace

SignatureResult kernel_signature(const std::string &path)
{
	SignatureResult r;
	auto bad = [&](std::string_view why) {
		r.error = fmt::format("{} is not a usable vmlinux: {}", path, why);
		return r;
	};
	if (elf_version(EV_CURRENT) == EV_NONE)
		return bad("libelf is unusable");
	ElfFile f;
	f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (f.fd < 0) {
		r.error = fmt::format("cannot open {}: {}", path, std::strerror(errno));
		return r;
	}
	// Mapped, not read: a vmlinux with debug info is about 1 GB, and only
	// its allocated sections (tens of MB) are hashed.
	f.elf = elf_begin(f.fd, ELF_C_READ_MMAP, nullptr);
	if (!f.elf || elf_kind(f.elf) != ELF_K_ELF)
		return bad("not an ELF file");
	if (gelf_getclass(f.elf) != ELFCLASS64)
		return bad("not a 64-bit ELF file");
	std::size_t shstrndx = 0, shnum = 0;
	if (elf_getshdrstrndx(f.elf, &shstrndx) != 0 || elf_getshdrnum(f.elf, &shnum) != 0 || shnum == 0)
		return bad(fmt::format("truncated or missing section headers ({})", elf_errmsg(-1)));

	util::Sha256 h; // shared with the guest image cache
	int hashed = 0;
	for (Elf_Scn *scn = elf_nextscn(f.elf, nullptr); scn; scn = elf_nextscn(f.elf, scn)) {
		GElf_Shdr s;
		if (!gelf_getshdr(scn, &s))
			return bad(fmt::format("bad section header ({})", elf_errmsg(-1)));
		if (!(s.sh_flags & SHF_ALLOC) || s.sh_type != SHT_PROGBITS)
			continue; // only bytes the kernel loads and runs (not .bss, not symbols, not debug info)
		const char *name = elf_strptr(f.elf, shstrndx, s.sh_name);
		if (!name)
			return bad("bad section name offset");
		std::string_view nm(name);
		if (nm == ".notes")
			continue;
		Elf_Data *d = elf_rawdata(scn, nullptr);
		if (!d || d->d_size != s.sh_size || (s.sh_size && !d->d_buf))
			return bad(fmt::format("section {} extends past the end of the file", nm));
		h.update(nm);
		std::uint64_t size = s.sh_size;
		h.update(std::string_view(reinterpret_cast<const char *>(&size), sizeof size));
		h.update(std::string_view(static_cast<const char *>(d->d_buf), d->d_size));
		hashed++;
	}
	if (hashed == 0)
		return bad("no loadable sections");
	r.ok = true;
	r.signature = h.hex();
	return r;
}

} // namespace pipehang::bisect
