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

} // namespace pipehang::oracle
