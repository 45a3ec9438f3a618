// Verdicts as KTAP (Documentation/dev-tools/ktap.rst), the result format
// kselftest, KUnit, LAVA and KernelCI read: `--ktap` on run, oracle and
// bisect. Written from the judgement's JSON (the documented contract of
// `--json`, docs/harness.md), so a harness error that has no judgement
// gets a result line too.
//
// One kernel is one test; its runs are its subtests:
//
//   KTAP version 1
//   1..1
//       KTAP version 1
//       # Subtest: kernel 6.1.0-56-amd64
//       1..2
//       ok 1 run_0
//       not ok 2 run_1 # INFO: task hung in pipe_release [holder ...]
//   # verdict: bad (exit 1): crashed: INFO: task hung in pipe_release ...
//   not ok 1 kernel 6.1.0-56-amd64 # crashed: ...
//
// "ok" means the kernel does not have the bug (the test of "no hang"
// passed): good is ok, bad is not ok, skip is `ok ... # SKIP reason`, a
// harness error `not ok ... # ERROR reason` -- never a plain ok or not ok,
// so no KTAP reader takes either for a kernel verdict. A run: clean ok,
// the target or another crash not ok (the title as diagnostic), not
// exercised `# SKIP`, reproducer failure `# ERROR`, lost `# TIMEOUT`.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace pipehang::oracle {

// The test for one judged kernel (its runs as subtests), numbered NUMBER
// at nesting DEPTH (0: top level), named NAME.
std::string ktap_kernel_test(const nlohmann::json &judgement, int number, const std::string &name, int depth = 0);

// A test from a verdict alone ("good", "bad", "skip", anything else an
// error), REASON its diagnostic, each of DIAGNOSTICS a '# ' line before it
// (the oracle's and a bisection's revisions, which keep no runs array).
std::string ktap_verdict_test(const std::string &verdict, const std::string &reason,
			      const std::vector<std::string> &diagnostics, int number, const std::string &name,
			      int depth = 0);

// A result line for a test that has no judgement (a harness error).
std::string ktap_error_test(const std::string &error, int number, const std::string &name, int depth = 0);

// The document: version line, plan, and the tests in order.
std::string ktap_document(const std::vector<std::string> &tests);

// The opening of a test's subtests at nesting DEPTH + 1: version line,
// "# Subtest: NAME", plan of COUNT.
std::string ktap_subtests_header(const std::string &name, std::size_t count, int depth = 0);

// A test name KTAP accepts: no '#', no line breaks.
std::string ktap_name(const std::string &text);

} // namespace pipehang::oracle
