// The reproducer's command line checked on the host, by the reproducer's
// own parser (reproducers/splice-dio/options.h, linked in): what `run`
// would pass in the guest (--deny, --repro-arg, and the flags the oracle
// adds) must be what repro-splice-dio accepts, else every run in the guest
// fails and the verdict would be a skip where the input is at fault.
#pragma once

#include "oracle/judge.h"

#include <CLI/CLI.hpp>

#include <string>

namespace pipehang::cli {

// "" when repro-splice-dio accepts the flags OPT gives it, else a message
// naming the flag at fault (--deny or --repro-arg) and the parser's words.
// A --repro-file or another --repro has flags of its own: not checked.
std::string reproducer_refuses(const oracle::JudgeOptions &opt);

// --repro: repro-splice-dio (the one reproducer whose flags the oracle
// speaks and checks), next to pipehang (bin_dir()).
CLI::Validator reproducer_next_to_pipehang();

} // namespace pipehang::cli
