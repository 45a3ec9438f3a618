// Command-line options of repro-splice-dio and their validation. Every
// rejected value produces a message that names the flag, and the program
// exits 2 (usage error) without touching the filesystem.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "fill.h"

namespace pipehang::repro {

enum class Entry { kOpenat2, kOpenat, kIoUring, kAuto };
const char *entry_name(Entry e);

// How the data moves: splice(2), or IORING_OP_SPLICE (run by an io_uring
// worker thread, which then is the pipe->mutex holder).
enum class SpliceVia { kSyscall, kIoUring };
const char *splice_via_name(SpliceVia v);

struct Options {
	std::string dir;               // --dir: directory on the filesystem under test
	Entry entry = Entry::kAuto;    // --entry
	std::vector<std::string> deny; // --deny (repeatable, comma lists allowed)
	std::size_t size = 1u << 20;   // --size: bytes per iteration (pipe capacity)
	unsigned iterations = 1;       // --iterations
	unsigned threads = 1;          // --threads: splicer threads sharing the pipe
	bool fork = false;             // --fork: closer runs in a child process
	double time_limit_s = 60.0;    // --time-limit: hard bound on the whole run, seconds
	double duration_s = 0;         // --duration: stop starting iterations after this (0: off)
	// --close-delay-ms; when not given: kDefaultCloseDelaySyscallMs, or
	// kDefaultCloseDelayIoUringMs with --splice-via io_uring.
	unsigned close_delay_ms = 1;
	SpliceVia splice_via = SpliceVia::kSyscall; // --splice-via
	Fill fill = Fill::kMixed;                   // --fill: pages | gap | mixed (fill.h)
	bool any_fs = false;                        // --any-fs: run on non-ext4 (never "exercised")
	bool keep_files = false;                    // --keep-files
};

// splice(2) takes pipe->mutex microseconds after the splicer's announcement
// (10 ms leaves room for preemption on a loaded or emulated CPU); an
// IORING_OP_SPLICE first fails its non-blocking attempt and is handed to an
// io-wq worker (created on demand), so the closer must wait longer for the
// worker to own the mutex.
inline constexpr unsigned kDefaultCloseDelaySyscallMs = 10;
inline constexpr unsigned kDefaultCloseDelayIoUringMs = 200;

enum class ParseOutcome { kRun, kHelpShown, kUsageError };

// Parses argv into out. On kUsageError, `error` names the flag and the
// problem; on kHelpShown the help text has already been printed to stdout.
ParseOutcome parse_options(int argc, char **argv, Options &out, std::string &error);

// Data pages the pipe holds after the --fill (the empty buffer of gap and
// mixed takes a slot without data): what the splicers share.
std::size_t data_pages(const Options &o);

// "1M", "64K", "1048576", "2G" -> bytes. False on garbage or overflow.
bool parse_byte_size(const std::string &text, std::size_t &bytes);

} // namespace pipehang::repro
