// Readable names for mangled kernel symbols, as syzkaller shows them in
// titles (names only, no parameters): C++ (Itanium "_Z...") and Rust
// ("_R..." v0 paths and legacy "_ZN...17h<hash>E") frames.
#pragma once

#include <string>
#include <string_view>

namespace pipehang::report {

// "_ZN6kernel4sync3arc3ArcE" -> "kernel::sync::arc::Arc",
// "_RNvNtCs1234_6kernel4sync9lock_init" -> "kernel::sync::lock_init";
// anything it does not understand (plain C names included) comes back as is.
std::string demangle_symbol(std::string_view name);

} // namespace pipehang::report
