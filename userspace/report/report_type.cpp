#include "report/classifier.h"

namespace pipehang::report {

std::string_view to_string(ReportType type)
{
	switch (type) {
	case ReportType::Unknown: return "unknown";
	case ReportType::Hang: return "hang";
	case ReportType::Lockup: return "lockup";
	case ReportType::Stall: return "stall";
	case ReportType::Deadlock: return "deadlock";
	case ReportType::MemorySafety: return "memory-safety";
	case ReportType::Leak: return "leak";
	case ReportType::DataRace: return "data-race";
	case ReportType::UndefinedBehavior: return "undefined-behavior";
	case ReportType::Warning: return "warning";
	case ReportType::Bug: return "bug";
	case ReportType::Panic: return "panic";
	}
	return "unknown";
}

} // namespace pipehang::report
