// One iteration of the reproducer: open the O_DIRECT target, fill a pipe
// with whole pages, splice it into the file from --threads threads while a
// closer (thread, or child process with --fork) closes the write end.
#pragma once

#include <string>

#include "live_state.h"
#include "options.h"
#include "record.h"
#include "target.h"

namespace pipehang::repro {

struct IterationContext {
	const Options &opt;
	int dirfd;
	std::string fs_name;
	bool is_ext4;
	TargetOpener &opener;
	double deadline_ms; // monotonic; the whole run's time limit
	LiveState &live;
	// probe_empty_buffer_kept() of this kernel: a kernel property, measured
	// once per run (kNotProbed until the first gap/mixed iteration).
	static constexpr int kNotProbed = -2;
	int empty_buffer_kept = kNotProbed;
};

IterationRecord run_iteration(IterationContext &ctx, unsigned number);

// The record fields every line of this run shares (entry_requested, fs, ...).
IterationRecord base_record(const IterationContext &ctx, unsigned number);

} // namespace pipehang::repro
