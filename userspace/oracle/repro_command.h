// The reproducer command line the guest runs for the oracle, and the
// checks on the options that shape it (bad input is thrown as
// std::invalid_argument, never turned into a verdict).
#pragma once

#include "oracle/judge.h"

#include <string>

namespace pipehang::oracle {

// QEMU is there, --fill and --deny are well formed.
void check_judge_options(const JudgeOptions &opt);

// The content of --repro-file ("" without one), after checking that the
// reproducer to run is there (in IMG, or readable).
std::string custom_reproducer(const JudgeOptions &opt, const guest::GuestImage &img);

// The reproducer's flags, one string for the guest init's PH_REPRO_ARGS.
std::string repro_args(const JudgeOptions &opt);

} // namespace pipehang::oracle
