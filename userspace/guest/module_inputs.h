// What an out-of-tree module build reads from a kernel build tree, named by
// one id, so pipewatch.ko built for one revision of a bisection is reused
// for the next when only the kernel's .c files changed between them (the
// usual case: a fixture revision, most real commits). The bzImage's
// signature changes with every such revision; the module does not.
//
// `make -C TREE M=kmod modules` reads: the headers (include/,
// arch/x86/include/), the generated headers and the configuration
// (include/generated/, arch/x86/include/generated/, include/config/
// auto.conf and kernel.release, .config), Module.symvers, the build rules
// (top-level files, arch/x86's Makefiles, scripts/) and the tools the
// rules run on objects (tools/objtool and what it builds from). Sources are
// named by their git tree ids (instant), generated files by content.
//
// The id is empty -- "cannot tell, key on the kernel image" -- when TREE is
// not a git work tree, or when anything the build reads is modified there
// (a user's patch to a header is not in the tree ids).
#pragma once

#include <filesystem>
#include <string>

namespace pipehang::guest {

std::string module_inputs_id(const std::filesystem::path &tree);

} // namespace pipehang::guest
