// Reads pipewatch.ko records (README contract 2) out of the console and turns
// each into a report titled like the kernel's own hung-task report:
//   pipewatch: event=pipe_wait id=7 func=pipe_release waiter=a/1 ... holder=b/2 held_ms=2010
//   pipewatch: id=7 holder stack:
//   pipewatch: id=7  iomap_dio_rw+0x10/0x20
//   pipewatch: id=7 waiter stack:
//   pipewatch: id=7  __mutex_lock.constprop.0+0x1a/0x40
//   pipewatch: id=7 end
// Record lines may interleave with anything else; they are grouped by id.
#pragma once

#include "report/classifier.h"

#include <map>
#include <string_view>
#include <vector>

namespace pipehang::report {

inline constexpr std::string_view kPipewatchTag = "pipewatch: ";

class PipewatchCollector {
public:
	// rest: the text after "pipewatch: "; line: 0-based line index.
	void feed(size_t line, std::string_view rest);
	std::vector<Report> finish();

private:
	struct Record {
		Report report;
		std::string id;
		int section = -1; // index into report.stacks
		bool ended = false;
	};
	std::vector<Record> records_;
	std::map<std::string, size_t, std::less<>> by_id_;
};

} // namespace pipehang::report
