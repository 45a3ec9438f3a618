#include "guest/cpio.h"

#include <fmt/format.h>

#include <sys/stat.h>

namespace pipehang::guest {

void CpioWriter::entry(std::string_view name, unsigned mode, std::string_view data, unsigned rmajor, unsigned rminor)
{
	// newc header: magic + 13 eight-digit hex fields; name and data each
	// padded to a multiple of 4 bytes (the header is 110 bytes).
	bool is_dir = S_ISDIR(mode);
	out_ += fmt::format("070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
			    next_ino_++, mode, 0, 0, is_dir ? 2 : 1, 0, data.size(), 0, 0, rmajor, rminor,
			    name.size() + 1, 0);
	out_.append(name);
	out_.push_back('\0');
	while (out_.size() % 4)
		out_.push_back('\0');
	out_.append(data);
	while (out_.size() % 4)
		out_.push_back('\0');
}

void CpioWriter::add_dir(std::string_view name, unsigned mode)
{
	entry(name, S_IFDIR | mode, {});
}

void CpioWriter::add_file(std::string_view name, std::string_view data, unsigned mode)
{
	entry(name, S_IFREG | mode, data);
}

void CpioWriter::add_symlink(std::string_view name, std::string_view target)
{
	entry(name, S_IFLNK | 0777, target);
}

void CpioWriter::add_char_device(std::string_view name, unsigned major, unsigned minor, unsigned mode)
{
	entry(name, S_IFCHR | mode, {}, major, minor);
}

std::string CpioWriter::finish()
{
	next_ino_ = 0;
	entry("TRAILER!!!", 0, {});
	// Pad to 512 like cpio(1); harmless for the kernel.
	while (out_.size() % 512)
		out_.push_back('\0');
	return std::move(out_);
}

} // namespace pipehang::guest
