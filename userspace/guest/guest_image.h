// The guest initramfs: busybox (with applet symlinks), the guest init
// script, the static repro-* binaries, the kernel's own modules needed for
// the virtio disk and ext4 (with their dependencies, in load order), and
// pipewatch.ko. Cached by content hash under $cache/images/. Per-run
// settings go into a second small cpio archive appended at boot time
// (the kernel unpacks concatenated archives), so the base stays cached.
#pragma once

#include "guest/kernel.h"
#include "guest/module_build.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pipehang::guest {

// Where the image's pieces are on the host. The library knows no paths of
// its own: the CLI fills these in (harness/paths.h, image_options()).
struct ImageOptions {
	bool with_module = true;           // build and include pipewatch.ko
	std::filesystem::path bin_dir;     // where the static repro-* binaries are
	std::filesystem::path init_script; // the guest's /init (harness/guest/init)
	std::filesystem::path kmod_dir;    // pipewatch.ko's sources (kmod/)
	std::filesystem::path busybox = "/bin/busybox";
};

struct GuestImage {
	std::filesystem::path cpio;               // the cached base archive
	std::string key;                          // its content hash
	std::vector<std::string> kernel_modules;  // guest paths, load order
	std::vector<std::string> missing_modules; // wanted, neither built in nor found
	std::vector<std::string> reproducers;     // repro-* names included
	bool module_requested = false;
	ModuleBuild module;
};

GuestImage build_guest_image(const Kernel &k, const ImageOptions &opt);

// The per-run archive: FILES maps guest paths ("/run.conf") to contents.
std::string run_archive(const std::map<std::string, std::string> &files);

// Modules the guest needs from the kernel: virtio PCI transport, the
// virtio disk, ext4 and the crc32c it asks for at mount time.
const std::vector<std::string> &wanted_kernel_modules();

} // namespace pipehang::guest
