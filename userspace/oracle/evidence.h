// From one boot's console (its PIPEHANG: markers and the classifier's
// reports) to per-run outcomes for the decision rule, plus the details the
// --json verdict carries. Pure: tested with hand-made consoles.
#pragma once

#include "guest/markers.h"
#include "oracle/decide.h"
#include "report/classifier.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::oracle {

// The report title that means bad, unless --target says otherwise: the
// one home of this default.
inline constexpr std::string_view kTargetTitle = "INFO: task hung in pipe_release";

struct BootReading {
	bool booted = false;
	std::string boot_failure;
	bool module_loaded = false;
	std::string module_error;
	std::string setup_failure;
	std::vector<RunOutcome> runs;
	nlohmann::json run_details = nlohmann::json::array(); // one object per run
	nlohmann::json reports = nlohmann::json::array();     // every report of the boot
	bool finished = false;                                // the done marker was printed
};

struct ReadingOptions {
	std::string target{kTargetTitle};
	bool allow_fallback = false; // a run that fell back counts as exercised
	bool module_wanted = true;
	int first_index = 0;       // number of the first run of this boot
	std::string vm_end_reason; // why the VM ended early, if it did
	// The kernel timestamp (s) of a 0-based console line, when it has one:
	// how long a run stopped early at its report took ("seconds_to_report",
	// for the report's timeline). Optional.
	std::function<std::optional<double>(std::size_t line)> line_seconds = {};
};

BootReading read_boot(const std::vector<guest::Marker> &markers, const std::vector<report::Report> &reports,
		      const ReadingOptions &opt);

// A soft lockup or RCU stall of the pipe->mutex holder spinning under
// iter_file_splice_write(): the target bug seen from the holder's side.
bool holder_spin(const report::Report &r);

} // namespace pipehang::oracle
