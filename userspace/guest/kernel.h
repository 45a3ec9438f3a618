// Turning the user's --kernel argument into files QEMU and the image
// builder can use. Accepted forms:
//   - a bzImage file (a build tree around it is used when there is one),
//   - a kernel build tree (arch/x86/boot/bzImage inside),
//   - a Debian kernel package (.deb),
//   - a Debian kernel version such as 6.1.0-56-amd64 (apt-get download into
//     the cache; nothing is installed on the host).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace pipehang::guest {

// Bad --kernel input (missing file, not a kernel, unknown version): the
// message names the input. Never a kernel verdict.
struct KernelError : std::runtime_error {
	using std::runtime_error::runtime_error;
};

enum class KernelKind { bzimage, build_tree, debian_package, debian_version };

struct Kernel {
	KernelKind kind = KernelKind::bzimage;
	std::string spec; // as given by the user
	std::filesystem::path bzimage;
	std::string release;                // uname -r; empty when unknown
	std::filesystem::path modules_base; // X with X/lib/modules/<release>; empty: no modules
	std::filesystem::path build_tree;   // a build tree (for pipewatch.ko); empty if none
	std::string debian_version;         // e.g. 6.1.0-56-amd64 for Debian kernels
	std::filesystem::path config;       // the kernel's .config when known
	std::string signature;              // sha256 of the bzImage
};

std::string to_string(KernelKind kind);

// The newest Debian 6.1 image version (what linux-image-amd64 depends on),
// e.g. "6.1.0-56-amd64".
std::string default_debian_kernel();

Kernel resolve_kernel(const std::string &spec);

// A directory where `make -C DIR M=...` builds out-of-tree modules for K:
// the build tree itself, the installed /usr/src/linux-headers-VER, or
// Debian's headers packages unpacked into the cache. Throws
// std::runtime_error with the reason when there is none.
std::filesystem::path kbuild_dir(const Kernel &k);

// Reads the release string embedded in a bzImage header; throws KernelError
// when FILE is not an x86 bzImage.
std::string bzimage_release(const std::filesystem::path &file);

} // namespace pipehang::guest
