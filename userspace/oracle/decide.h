// Where a verdict is decided: the oracle's decision rule, from what each
// reproducer run showed to good / bad / skip, or a request for more runs.
// Pure (no I/O), table-tested in tests/unit/verdict_decide_test.cpp. It
// never decides Verdict::error: a harness failure is no evidence about the
// kernel, so judge() throws it instead (oracle/judge.h).
//
// The rule, in order:
//   1. the kernel did not boot                      -> skip ("boot failed: ...")
//   2. pipewatch.ko required but not loaded, or the guest setup failed
//      (test disk not mounted)                      -> skip
//   3. any run showed the target report             -> bad  (a hang report is
//      evidence by itself, however many other runs were clean)
//   4. any run showed a different crash             -> skip, or bad with
//      --other-crash bad (it may hide the target)
//   5. every finished run failed to exercise the path, or every one had a
//      reproducer failure                           -> skip with its reason
//   6. at least `runs` runs exercised the path and were clean, and no run
//      disagreed                                    -> good
//   7. runs disagree (some clean, some not exercised / failed / lost) or
//      fewer than `runs` finished: run more, up to `max_runs` in total (as
//      syzbot goes from 10 to 20); at that bound good needs `runs` clean
//      runs, else skip.
// Confidence: the share of finished runs that agree with the verdict (bad:
// 1.0 when a complete target report was seen, 0.9 when every target report
// was corrupted).
#pragma once

#include "oracle/verdict.h"

#include <string>
#include <string_view>
#include <vector>

namespace pipehang::oracle {

enum class RunStatus {
	clean,         // exercised the path, no report
	target,        // the target report appeared during the run
	other_crash,   // a different report appeared
	not_exercised, // the reproducer could not exercise the path (exit 4, "exercised":false)
	repro_failed,  // the reproducer failed unexpectedly (exit 1, bad output)
	lost,          // started but never finished and no report explains it (VM stalled/died)
};
std::string_view to_string(RunStatus s);

struct RunOutcome {
	int index = 0;
	RunStatus status = RunStatus::clean;
	std::string title;      // the report title for target/other_crash
	std::string detail;     // reason for not_exercised/repro_failed/lost
	bool corrupted = false; // the report that decided it was corrupted
	// (= {}: aggregate initialisers that stop before these stay warning-free)
	std::string holder = {}; // the pipe->mutex holder a target report named, if any
	// The reproducer's entry point (e.g. "openat2") returned ENOSYS: the
	// kernel lacks it, so the run says nothing about the splice path (what
	// syzbot's bisection mistook for a clean run). Empty otherwise.
	std::string unavailable_entry = {};
};

enum class OtherCrash { skip, bad };

struct Policy {
	int runs = 10;     // clean runs needed for good
	int max_runs = 20; // runs allowed when results disagree
	OtherCrash other_crash = OtherCrash::skip;
	bool require_module = true;
};

// A boot whose outcome the emulator made (oracle/emulator_fault.h): an
// unclaimed kernel-mode int3 under multi-threaded TCG. Listed for the
// record; decide() never reads it, the boot's runs are not in `runs`.
struct EmulatorFault {
	int boot = 0;                  // 1-based boot number of the judgement
	std::string kind;              // "oops": died of the int3; "loop": wedged on it; "stuck": stays at a patched
				       // site (report::Int3Form)
	std::string accel;             // what that boot ran under ("tcg")
	std::string rip;               // "sched_clock_cpu+0x9"
	int cpu = -1;                  // the CPU that trapped; -1 unknown
	bool before_userspace = false; // before the guest init's boot marker
	std::string int3_in_memory;    // "no" (text patched), "yes" or "unknown" (report/int3_trap.h)
	std::string title;             // the report's title, e.g. "int3 in sched_clock_cpu"
};

struct Evidence {
	bool booted = true;
	std::string boot_failure; // title or reason when !booted
	bool module_loaded = true;
	std::string module_error;
	std::string setup_failure;    // e.g. the test disk did not mount
	std::vector<RunOutcome> runs; // every run so far, over all boots
	// Boots not counted as evidence, each re-booted under tcg-single.
	std::vector<EmulatorFault> emulator_faults = {};
};

struct Counts {
	int total = 0, clean = 0, target = 0, other_crash = 0, not_exercised = 0, repro_failed = 0, lost = 0;
};
Counts count(const std::vector<RunOutcome> &runs);

struct Decision {
	bool final = true; // false: run `more_runs` more runs, then decide again
	int more_runs = 0;
	Verdict verdict = Verdict::skip; // meaningful when final
	std::string reason;              // syzbot-style summary
	double confidence = 0;
	Counts counts;
};

Decision decide(const Evidence &ev, const Policy &policy);

// syzbot-style line for one run: "run #3: crashed: INFO: task hung in
// pipe_release", "run #0: OK", "run #2: skipped: ..."; a crash whose
// report names the mutex holder ends in " [holder comm/pid ...]".
std::string run_line(const RunOutcome &run);

} // namespace pipehang::oracle
