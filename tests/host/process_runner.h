// run_process: runs a program with a hard time bound and captures its
// output. The reproducer under test may hang (that is its job), so the test
// must never wait on it without a deadline.
#pragma once

#include <string>
#include <vector>

namespace pipehang::testing {

struct ProcessResult {
	int exit_code = -1;     // exit status, or -1 if killed by a signal
	int signal = 0;         // the signal that ended it, if any
	bool timed_out = false; // we killed it at the deadline
	double elapsed_ms = 0;
	std::string out;
	std::string err;
	std::vector<std::string> out_lines() const;
};

struct RunOptions {
	double timeout_s = 60;
	// If set, the child moves itself into this cgroup (path of its
	// cgroup.procs file) before exec.
	std::string cgroup_procs;
};

ProcessResult run_process(const std::vector<std::string> &argv, const RunOptions &options = {});

// Convenience for setup commands (mkfs, mount): true on exit 0; the captured
// stderr is appended to *why otherwise.
bool run_command(const std::vector<std::string> &argv, double timeout_s, std::string *why);

} // namespace pipehang::testing
