// Is a directory a Linux kernel source tree? Asked where a tree enters
// (`bisect --tree`, `oracle --kernel`), so that a wrong directory is bad
// input named as such -- not a "kernel build failed" skip on every revision
// (git bisect run would skip them all) or a bisection that finds "no
// culprit".
#pragma once

#include <filesystem>
#include <string>

namespace pipehang::bisect {

// "" for a kernel source tree: a top-level Makefile that sets VERSION and
// PATCHLEVEL, a Kconfig, and arch/x86 (what the build script builds).
// Otherwise what is missing, e.g. "no Kconfig".
std::string kernel_tree_problem(const std::filesystem::path &dir);

} // namespace pipehang::bisect
