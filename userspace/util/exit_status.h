// The exit statuses of every pipehang command, in one table (docs/harness.md
// "Exit status"). scripts/lib/exit-status.sh holds the same table for the
// shell scripts and tests; tests/unit/util_exit_status_test.cpp checks that
// the two agree, so neither can drift.
//
// good / bad / skip / error are contract 4 (`git bisect run`: 125 skips the
// revision, anything from 128 up aborts the bisection). The others belong to
// one command each and are chosen so that they never read as a verdict.
#pragma once

#include <array>
#include <string_view>

namespace pipehang::util::exit_status {

constexpr int good = 0;          // the kernel does not have the bug (bisect: a culprit was found)
constexpr int bad = 1;           // the kernel has the bug
constexpr int usage = 2;         // command-line usage error (commands not made for `git bisect run`)
constexpr int no_culprit = 3;    // `pipehang bisect`: no single culprit
constexpr int guest_died = 122;  // `pipehang vm`: booted, but the VM ended before the script finished
constexpr int boot_failed = 123; // `pipehang vm`: no boot marker, the kernel never reached our init
constexpr int timeout = 124;     // `pipehang vm`: the guest was still running at --timeout
constexpr int skip = 125;        // the kernel cannot be judged (git bisect run: skip this revision)
constexpr int error = 128;       // harness error or bad input: never a kernel verdict (aborts git bisect run)
constexpr int interrupted = 130; // SIGINT/SIGTERM: VM killed, temp files removed

struct Entry {
	std::string_view name; // as in the shell file, upper-cased after PH_EXIT_
	int code;
};

// Every status above, by name: the shell copy is checked against it.
constexpr std::array<Entry, 10> table = {{
	{"good", good},
	{"bad", bad},
	{"usage", usage},
	{"no_culprit", no_culprit},
	{"guest_died", guest_died},
	{"boot_failed", boot_failed},
	{"timeout", timeout},
	{"skip", skip},
	{"error", error},
	{"interrupted", interrupted},
}};

} // namespace pipehang::util::exit_status
