#include "options.h"

#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "sys/pipe.h"
#include "sys/seccomp_policy.h"

namespace pipehang::repro {

const char *entry_name(Entry e)
{
	switch (e) {
	case Entry::kOpenat2: return "openat2";
	case Entry::kOpenat: return "openat";
	case Entry::kIoUring: return "io_uring";
	case Entry::kAuto: return "auto";
	}
	return "?";
}

const char *splice_via_name(SpliceVia v)
{
	return v == SpliceVia::kIoUring ? "io_uring" : "syscall";
}

bool parse_byte_size(const std::string &text, std::size_t &bytes)
{
	if (text.empty() || text[0] < '0' || text[0] > '9')
		return false;
	errno = 0;
	char *end = nullptr;
	unsigned long long value = std::strtoull(text.c_str(), &end, 10);
	if (errno != 0)
		return false;
	std::string suffix(end);
	unsigned long long mult = 1;
	if (suffix.empty() || suffix == "B")
		mult = 1;
	else if (suffix == "K" || suffix == "k" || suffix == "KiB")
		mult = 1ull << 10;
	else if (suffix == "M" || suffix == "m" || suffix == "MiB")
		mult = 1ull << 20;
	else if (suffix == "G" || suffix == "g" || suffix == "GiB")
		mult = 1ull << 30;
	else
		return false;
	if (value > (~0ull) / mult)
		return false;
	bytes = static_cast<std::size_t>(value * mult);
	return true;
}

std::size_t data_pages(const Options &o)
{
	const std::size_t slots = o.size / sys::page_size();
	switch (o.fill) {
	case Fill::kPages: return slots;
	case Fill::kGap: return 2;
	case Fill::kMixed: return slots - 1;
	}
	return slots;
}

static const char *kDescription =
	"repro-splice-dio: drives the kernel into the state of 'INFO: task hung in "
	"pipe_release'.\n"
	"Each iteration fills a pipe (--fill: by default data pages with a zero-length "
	"buffer after the first, the real trigger of the upstream bug), opens a new file "
	"in --dir with O_DIRECT (through --entry), splices the pipe into the file and, while the "
	"splice holds pipe->mutex, closes the pipe's write end from another thread "
	"(or process with --fork) so that close() must wait in pipe_release().\n"
	"Afterwards the file's pages must be absent from the page cache (mincore), "
	"proving the data went by direct I/O and not a silent buffered fallback.\n"
	"Prints one JSON object per iteration on stdout (fields: docs/reproducers.md). "
	"Exit status: 0 every iteration exercised splice -> O_DIRECT ext4; 1 unexpected "
	"failure or time limit reached; 2 usage error; 4 the path could not be exercised "
	"here (reason in the JSON line: ENOSYS in any step, O_DIRECT refused, not ext4, "
	"buffered fallback, ...).";

ParseOutcome parse_options(int argc, char **argv, Options &out, std::string &error)
{
	CLI::App app(kDescription, "repro-splice-dio");
	app.set_help_flag("-h,--help", "Print this help and exit 0.");
	app.get_formatter()->column_width(30);

	std::string entry_text = "auto";
	std::string size_text = "1M";
	std::string splice_via_text = "syscall";
	std::string fill_text = "mixed";
	app.add_option("--dir", out.dir,
		       "Directory on the filesystem under test (must be ext4 unless --any-fs). "
		       "A new file pipehang-splice-dio.<pid>.<iteration> is created and removed per iteration.")
		->required();
	app.add_option("--entry", entry_text,
		       "How the O_DIRECT file is opened: openat2 (raw syscall, Linux >= 5.6), openat, "
		       "io_uring (IORING_OP_OPENAT2, or IORING_OP_OPENAT if the probe lacks it), or auto "
		       "(openat2, falling back to openat then io_uring on ENOSYS, said on stderr and "
		       "as \"fallback\":true). Without fallback, ENOSYS exits 4. Default: auto.")
		->check(CLI::IsMember({"openat2", "openat", "io_uring", "auto"}));
	app.add_option("--deny", out.deny,
		       "Make SYSCALL fail with ENOSYS via seccomp, emulating a kernel without it "
		       "(repeatable; comma lists allowed), e.g. --deny openat2. Installed after the "
		       "directory is opened. io_uring requests are not filtered: deny io_uring_setup "
		       "to remove that entry point.")
		->type_name("SYSCALL")
		->take_all()
		->expected(1)
		->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
	app.add_option("--size", size_text,
		       "Bytes spliced per iteration and pipe capacity (F_SETPIPE_SZ); whole pages, "
		       "suffixes K/M/G allowed. Larger sizes hold pipe->mutex longer. Default: 1M.")
		->type_name("BYTES");
	app.add_option("--iterations", out.iterations, "Iterations to run (1..1000000). Default: 1.")
		->check(CLI::Range(1u, 1000000u));
	app.add_option("--threads", out.threads,
		       "Splicer threads sharing the pipe; each splices its share of --size to its own "
		       "file range (1..64). Default: 1.")
		->check(CLI::Range(1u, 64u));
	app.add_flag("--fork", out.fork,
		     "Close the write end from a forked child process instead of a thread, as "
		     "syz-executor did (the parent drops its own copy first so the child's close is "
		     "the final one and runs pipe_release).");
	app.add_option("--time-limit", out.time_limit_s,
		       "Bound on the whole run in seconds (0 < T <= 86400). When it expires the "
		       "watchdog prints a JSON line with \"timed_out\":true naming the step still "
		       "blocked and exits 1. Default: 60.")
		->type_name("SECONDS")
		->check(CLI::Range(0.001, 86400.0));
	app.add_option("--duration", out.duration_s,
		       "Soft bound for stress runs: start no new iteration after SECONDS (at least one "
		       "always runs); the run then exits by the usual rules. Must be below --time-limit. "
		       "Default: off (run --iterations).")
		->type_name("SECONDS")
		->check(CLI::Range(0.001, 86400.0));
	CLI::Option *delay_opt =
		app.add_option("--close-delay-ms", out.close_delay_ms,
			       "How long the closer waits after the splicers signal they are entering "
			       "splice() before it calls close() (0..60000), so the splice owns pipe->mutex "
			       "first. Default: 10, or 200 with --splice-via io_uring (the request first has "
			       "to reach an io_uring worker thread).")
			->check(CLI::Range(0u, 60000u));
	app.add_option("--splice-via", splice_via_text,
		       "How data moves into the file: syscall (splice(2)) or io_uring (IORING_OP_SPLICE, "
		       "executed by an io_uring worker thread, which then holds pipe->mutex; exit 4 with "
		       "ENOSYS where the kernel lacks it). Both reach iter_file_splice_write(). Default: syscall.")
		->check(CLI::IsMember({"syscall", "io_uring"}));
	app.add_option("--fill", fill_text,
		       "What the pipe holds when it is spliced. pages: whole data pages only (hangs "
		       "only on a slow disk, on every kernel: the positive control). gap: the real "
		       "trigger alone, [data][empty][data]: the middle write(2) comes from an unmapped "
		       "page and fails with EFAULT, which since v5.5 leaves a zero-length buffer in "
		       "the pipe; kernels v5.5..v5.8.7 (and any kernel whose bvec walk cannot step "
		       "over it) then spin in iov_iter_alignment() holding pipe->mutex. mixed: "
		       "[data][empty][data...] up to --size, both triggers in one splice. The faulting "
		       "write's result is reported (fault_write_errno); anything but EFAULT fails the "
		       "iteration (exit 1). Default: mixed.")
		->check(CLI::IsMember({"pages", "gap", "mixed"}));
	app.add_flag("--any-fs", out.any_fs,
		     "Run even when --dir is not ext4; iterations then report \"exercised\":false "
		     "(the ext4 O_DIRECT path was not used) and the exit status is 4.");
	app.add_flag("--keep-files", out.keep_files, "Do not remove the files written in --dir.");

	try {
		app.parse(argc, argv);
	} catch (const CLI::CallForHelp &) {
		std::cout << app.help();
		return ParseOutcome::kHelpShown;
	} catch (const CLI::ParseError &e) {
		error = e.what();
		return ParseOutcome::kUsageError;
	}

	if (entry_text == "openat2")
		out.entry = Entry::kOpenat2;
	else if (entry_text == "openat")
		out.entry = Entry::kOpenat;
	else if (entry_text == "io_uring")
		out.entry = Entry::kIoUring;
	else
		out.entry = Entry::kAuto;
	out.splice_via = splice_via_text == "io_uring" ? SpliceVia::kIoUring : SpliceVia::kSyscall;
	out.fill = fill_text == "pages" ? Fill::kPages : fill_text == "gap" ? Fill::kGap : Fill::kMixed;
	if (delay_opt->count() == 0) {
		out.close_delay_ms = out.splice_via == SpliceVia::kIoUring ? kDefaultCloseDelayIoUringMs
									   : kDefaultCloseDelaySyscallMs;
	}

	const std::size_t page = sys::page_size();
	if (!parse_byte_size(size_text, out.size)) {
		error = "--size: '" + size_text + "' is not a byte count (e.g. 1048576, 64K, 1M)";
		return ParseOutcome::kUsageError;
	}
	if (out.size < page || out.size % page != 0) {
		error = "--size: " + std::to_string(out.size) + " is not a positive multiple of the page size (" +
			std::to_string(page) + "), which O_DIRECT alignment needs";
		return ParseOutcome::kUsageError;
	}
	if (out.size > (1ull << 30)) {
		error = "--size: " + std::to_string(out.size) + " is above the 1G limit";
		return ParseOutcome::kUsageError;
	}
	if (out.fill != Fill::kPages && out.size < 4 * page) {
		error = "--size: --fill " + fill_text + " needs at least 4 pages (" + std::to_string(4 * page) +
			" bytes): data, the empty buffer, data, and room for the splice";
		return ParseOutcome::kUsageError;
	}
	if (data_pages(out) < out.threads) {
		error = "--threads: " + std::to_string(out.threads) +
			" threads need at least one data page each, but --fill " + fill_text + " with --size " +
			std::to_string(out.size) + " puts " + std::to_string(data_pages(out)) +
			" data pages in the pipe";
		return ParseOutcome::kUsageError;
	}
	if (out.duration_s > 0 && out.duration_s >= out.time_limit_s) {
		error = "--duration: " + std::to_string(out.duration_s) + " s must be below --time-limit (" +
			std::to_string(out.time_limit_s) + " s), which is the hard bound";
		return ParseOutcome::kUsageError;
	}
	if (out.dir.empty()) {
		error = "--dir: empty path";
		return ParseOutcome::kUsageError;
	}

	// Split comma lists and check every name now, so a typo is a usage error
	// rather than a run that silently denies nothing.
	std::vector<std::string> names;
	for (const std::string &item : out.deny) {
		std::stringstream ss(item);
		std::string name;
		bool any = false;
		while (std::getline(ss, name, ',')) {
			if (name.empty())
				continue;
			any = true;
			if (sys::syscall_number(name) < 0) {
				error = "--deny: unknown syscall '" + name + "'";
				return ParseOutcome::kUsageError;
			}
			names.push_back(name);
		}
		if (!any) {
			error = "--deny: empty syscall name";
			return ParseOutcome::kUsageError;
		}
	}
	out.deny = names;
	return ParseOutcome::kRun;
}

} // namespace pipehang::repro
