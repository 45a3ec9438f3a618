// A LAVA job's log, read back: what the device's console printed and how
// LAVA says the job ended. Both lava-run (on stderr) and a server
// (GET /api/v0.2/jobs/N/logs/) give the log as one YAML mapping per line,
// {"dt": ..., "lvl": ..., "msg": ...}, a server with a leading "- ". The
// console is every `lvl: target` line; the job's own result is the
// `lvl: results` record of definition "lava", case "job", with LAVA's
// error_type (Infrastructure, Job, Test, Bug, Configuration, Canceled,
// LAVATimeout) and error_msg when it failed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::lab {

// The job's own verdict on itself (lava-run's result.yaml says the same).
struct LavaJobResult {
	bool pass = false;
	std::string error_type; // empty when it passed
	std::string error_msg;
};

// One test case LAVA recorded (a monitors pattern match).
struct LavaTestCase {
	std::string suite, name, result;
};

struct LavaLog {
	std::string console;              // the target's lines, '\n'-terminated
	std::vector<LavaTestCase> cases;  // test cases, in order (not "lava" suite ones)
	std::optional<LavaJobResult> job; // absent while the job runs (or log cut short)
	std::vector<std::string> errors;  // LAVA's `lvl: error` lines, for the reason
	std::size_t lines = 0;            // log records read
	std::size_t bad_lines = 0;        // lines that were not a log record (skipped)
};

// Reads log records from TEXT into LOG, appending; a last line without its
// newline is left in PARTIAL for the next call (a log read as it grows).
// Returns the console text this call added.
std::string read_lava_log(std::string_view text, LavaLog &log, std::string &partial);

// The whole log at once.
LavaLog parse_lava_log(std::string_view text);

// LAVA escapes every '"' of a console line as '\"' before it writes the
// record (lava_dispatcher's ShellLogger); this undoes exactly that.
std::string unescape_target_line(std::string_view msg);

} // namespace pipehang::lab
