// A kernel's signature: SHA-256 over what the kernel executes -- the
// contents of vmlinux's allocated sections (code, read-only data, data,
// init code, ORC tables...) -- in section-header order, each prefixed with
// its name. The build-id note is left out (it is derived, and only makes
// equal code look different when the build is not bit-identical). With the
// reproducible build settings of scripts/kernel/env.sh, equal code gives an
// equal signature, and a comment-only commit keeps the signature unless it
// shifts __LINE__ values baked into the code. The file is mapped through
// libelf, never read whole: a vmlinux with debug info is ~1 GB.
#pragma once

#include <string>

namespace pipehang::bisect {

struct SignatureResult {
	bool ok = false;
	std::string signature; // 64 hex digits
	std::string error;     // e.g. "not an ELF file: /x/vmlinux"
};

SignatureResult kernel_signature(const std::string &vmlinux_path);

} // namespace pipehang::bisect
