// The one verdict type of the tool: what the oracle says about a kernel, what
// a bisection records for a revision, and what `git bisect run` reads from
// the exit status (contract 4, table in util/exit_status.h).
//
// error is never a decision of the oracle (oracle/decide.h): a harness
// failure is thrown, and only the caller that catches it (the CLI, the
// bisect driver) records error.
#pragma once

#include <string_view>

namespace pipehang::oracle {

enum class Verdict { good, bad, skip, error };

std::string_view to_string(Verdict v); // "good", "bad", "skip", "error"
int exit_code(Verdict v);              // 0, 1, 125, 128
Verdict from_exit_code(int code);      // anything not good / bad / skip is error

} // namespace pipehang::oracle
