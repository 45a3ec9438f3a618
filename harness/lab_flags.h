// The --lab flags of `run`, `oracle`, `bisect` and `lava-job`: where a
// boot happens when it is not this machine (lab/lab_runner.h holds the
// defaults and the meaning). One spelling and one check for every command.
#pragma once

#include "guest/instance.h"
#include "lab/lab_runner.h"

#include <CLI/CLI.hpp>

#include <string>

namespace pipehang::cli {

// --lab --lab-token-file --lab-device-type --lab-tag --lab-device
// --artifact-dir --artifact-url --lab-queue-timeout, written into O.
// WITH_BACKEND false: only what a job definition needs (lava-job).
void add_lab_options(CLI::App &app, lab::LabOptions &o, bool with_backend = true);

// The runner for O, or an empty one without --lab; 0 then. Bad flags print
// a usage error and return exit_status::usage; a lab that cannot be used
// (lava-run missing, the server unreachable, the token refused) a harness
// error, exit_status::error. `run` and `oracle` exit error for both (git
// bisect run would read 2 as bad).
int open_lab_runner(const char *command, const lab::LabOptions &o, guest::InstanceRunner &runner);

} // namespace pipehang::cli
