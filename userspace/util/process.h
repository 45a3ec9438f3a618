// Running host tools (apt-get, dpkg-deb, depmod, make, mkfs.ext4, QEMU)
// with a hard time bound. Each child gets its own process group so a
// timeout, a stop request or an interrupt kills everything it started
// (SIGTERM, then SIGKILL after a grace period), and PR_SET_PDEATHSIG so it
// dies with us even if we are SIGKILLed.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pipehang::util {

struct ProcOptions {
	std::chrono::milliseconds timeout{std::chrono::minutes(10)};
	std::string cwd;                                      // empty: inherit
	std::vector<std::pair<std::string, std::string>> env; // added/overridden
	// Called with every chunk of stdout; return false to stop the child.
	std::function<bool(std::string_view)> on_output;
	// Called about every 100 ms; return false to stop the child.
	std::function<bool()> on_tick;
	bool keep_output = true;            // collect stdout into ProcResult::output
	std::size_t max_output = 64u << 20; // bytes of stdout kept, the rest dropped
	std::chrono::milliseconds kill_grace{2000};
};

struct ProcResult {
	bool started = false;
	std::string start_error; // why exec failed, when !started
	int exit_code = -1;      // when exited normally
	int term_signal = 0;     // when killed by a signal
	bool timed_out = false;  // we killed it: timeout
	bool stopped = false;    // we killed it: a callback asked to stop
	std::string output;      // stdout
	std::string errors;      // stderr (last 64 KiB)
	double seconds = 0;

	bool ok() const { return started && !timed_out && !stopped && term_signal == 0 && exit_code == 0; }
	// "exit status 2", "killed by signal 9", "timed out after 30 s", ...
	std::string describe() const;
};

// Options with just a time limit (and a working directory).
inline ProcOptions timed(std::chrono::milliseconds limit, std::string cwd = {})
{
	ProcOptions o;
	o.timeout = limit;
	o.cwd = std::move(cwd);
	return o;
}

ProcResult run_process(const std::vector<std::string> &argv, const ProcOptions &opt = {});

// Runs argv and throws std::runtime_error naming the command and its
// stderr if it does not succeed. Returns stdout.
std::string run_checked(const std::vector<std::string> &argv, const ProcOptions &opt = {});

// Is PROGRAM found on PATH (or an existing executable path)?
bool have_program(const std::string &program);

} // namespace pipehang::util
