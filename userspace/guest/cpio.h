// A writer for the "newc" cpio format the kernel unpacks as initramfs.
// Written in-process so images are byte-for-byte reproducible (fixed
// mtimes, uids and inode numbers) and device nodes need no root.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pipehang::guest {

class CpioWriter {
public:
	void add_dir(std::string_view name, unsigned mode = 0755);
	void add_file(std::string_view name, std::string_view data, unsigned mode = 0644);
	void add_symlink(std::string_view name, std::string_view target);
	void add_char_device(std::string_view name, unsigned major, unsigned minor, unsigned mode = 0600);
	// Appends the trailer and returns the archive.
	std::string finish();

private:
	void entry(std::string_view name, unsigned mode, std::string_view data, unsigned rmajor = 0,
		   unsigned rminor = 0);
	std::string out_;
	std::uint32_t next_ino_ = 1;
};

} // namespace pipehang::guest
