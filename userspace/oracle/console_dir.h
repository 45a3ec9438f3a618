// Where a judgement keeps its serial consoles: --console-dir, else a fresh
// directory under the cache ($cache/consoles/<UTC time>-<pid>). Consoles
// older than two weeks are removed there, so the cache does not grow
// without bound (a console is ~30 KB).
#pragma once

#include <filesystem>
#include <string>

namespace pipehang::oracle {

// Creates it (with parents); throws std::runtime_error if it cannot.
std::filesystem::path make_console_dir(const std::string &requested);

// After a judgement ended in an error: removes DIR's empty console-N.log
// files (a boot that never wrote a byte), then, with REMOVE_DIR (a
// directory made in the cache, not the user's --console-dir), DIR itself
// when that left it empty: an error leaves no empty console directory in
// the cache. A console with content is evidence and is kept.
void discard_empty_consoles(const std::filesystem::path &dir, bool remove_dir);

} // namespace pipehang::oracle
