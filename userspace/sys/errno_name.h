// Symbolic errno names ("ENOSYS") for machine-readable output: numbers differ
// between architectures, names do not, and the oracle matches on names.
#pragma once

#include <string>

namespace pipehang::sys {

// "ENOSYS" for ENOSYS; "E<number>" for a value libc has no name for; "OK" for 0.
std::string errno_name(int err);

// Human text for err (strerror), safe to call from several threads.
std::string errno_text(int err);

} // namespace pipehang::sys
