// libFuzzer target for the console-log classifier: any byte string is a
// possible serial console (garbage, truncation, megabyte lines), so classify()
// must never crash, leak or hang, and its output must keep its invariants
// (the same report_invariant_problem() the unit tests apply to the corpus).
#include "report/classifier.h"
#include "report/invariants.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

void check(bool ok)
{
	if (!ok)
		__builtin_trap(); // reported by libFuzzer as a crash, with the input saved
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	std::string_view log(reinterpret_cast<const char *>(data), size);
	size_t lines = 1;
	for (char c : log)
		lines += c == '\n';
	auto reports = pipehang::report::classify(log);
	size_t prev_start = 0;
	for (const auto &r : reports) {
		check(!r.title.empty() && r.title.size() <= 120);
		for (char c : r.title)
			check(c >= 0x20 && c < 0x7f);
		for (char c : r.text)
			check((c >= 0x20 && c < 0x7f) || c == '\n');
		check(r.start_line >= 1 && r.start_line <= r.end_line && r.end_line <= lines);
		check(r.start_line >= prev_start); // first report first
		prev_start = r.start_line;
		check(!pipehang::report::to_string(r.type).empty());
		check(r.corrupted == !r.corrupted_reason.empty());
	}
	// Never a cut title (also none from a line printk cut and replayed),
	// never an infrastructure frame (report/invariants.h).
	check(pipehang::report::log_invariant_problem(log, reports).empty());
	return 0;
}
