// repro-splice-dio: see options.cpp (--help) and docs/reproducers.md.
// Flow: parse flags (exit 2 on bad input) -> open --dir and check it is ext4
// -> install the --deny seccomp policy -> iterations, one JSON line each ->
// exit 0 (exercised) / 1 (unexpected failure, time limit) / 4 (cannot
// exercise the path here).
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "iteration.h"
#include "live_state.h"
#include "options.h"
#include "record.h"
#include "sys/clock.h"
#include "sys/errno_name.h"
#include "sys/fs_detect.h"
#include "sys/seccomp_policy.h"
#include "target.h"
#include "watchdog.h"

using namespace pipehang;
using namespace pipehang::repro;

namespace {

constexpr int kExitExercised = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSkip = 4;

int exit_code_for(Outcome o)
{
	switch (o) {
	case Outcome::kExercised: return kExitExercised;
	case Outcome::kSkip: return kExitSkip;
	case Outcome::kFailure: return kExitFailure;
	}
	return kExitFailure;
}

int usage_error(const std::string &message)
{
	std::fprintf(stderr, "repro-splice-dio: error: %s\nRun 'repro-splice-dio --help' for the flags.\n",
		     message.c_str());
	return kExitUsage;
}

} // namespace

int main(int argc, char **argv)
{
	// A closed stdout must not kill the run with SIGPIPE: the exit status
	// still tells the caller what happened.
	::signal(SIGPIPE, SIG_IGN);
	Options opt;
	std::string error;
	switch (parse_options(argc, argv, opt, error)) {
	case ParseOutcome::kHelpShown: return 0;
	case ParseOutcome::kUsageError: return usage_error(error);
	case ParseOutcome::kRun: break;
	}
	const double start_ms = sys::monotonic_ms();
	const double deadline_ms = start_ms + opt.time_limit_s * 1000.0;

	// --dir must be an existing directory: anything else is bad input.
	const int dirfd = ::open(opt.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		const int e = errno;
		return usage_error("--dir: cannot open '" + opt.dir + "': " + sys::errno_name(e) + " (" +
				   sys::errno_text(e) + ")");
	}
	sys::FsInfo fs;
	if (auto r = sys::detect_fs(dirfd, fs); !r.ok()) {
		return usage_error("--dir: cannot statfs '" + opt.dir + "': " + sys::errno_name(r.err));
	}

	LiveState live;
	if (!live.init()) {
		std::fprintf(stderr, "repro-splice-dio: cannot map shared state: %s\n", sys::errno_name(errno).c_str());
		return kExitFailure;
	}
	live.set_dirfd(dirfd);
	live.set_keep_files(opt.keep_files);

	TargetOpener opener(opt.entry);
	IterationContext ctx{opt, dirfd, fs.name(), fs.is_ext4(), opener, deadline_ms, live};

	if (!fs.is_ext4() && !opt.any_fs) {
		IterationRecord rec = base_record(ctx, 1);
		rec.fail(Outcome::kSkip, "fs", 0, "NOT_EXT4",
			 "NOT_EXT4: --dir " + opt.dir + " is on " + fs.name() +
				 ", not ext4 (pass --any-fs to run anyway)");
		emit_line(to_json_line(rec));
		std::fprintf(stderr, "repro-splice-dio: %s\n", rec.reason.c_str());
		return kExitSkip;
	}

	// Installed after --dir is open so denying openat cannot hide the target
	// directory; everything from here on sees the emulated kernel.
	if (!opt.deny.empty()) {
		sys::SeccompPolicy policy = sys::SeccompPolicy::deny_list();
		for (const std::string &name : opt.deny) {
			std::string why;
			if (!policy.deny(name, ENOSYS, &why))
				return usage_error("--deny: " + why);
		}
		if (auto r = policy.apply(); !r.ok()) {
			IterationRecord rec = base_record(ctx, 1);
			rec.fail(Outcome::kFailure, "seccomp", r.err, "SECCOMP_FAILED",
				 "installing the --deny seccomp filter failed: " + sys::errno_name(r.err));
			emit_line(to_json_line(rec));
			return kExitFailure;
		}
	}

	Watchdog watchdog(live, deadline_ms, opt.time_limit_s, fs.is_ext4());
	watchdog.start();
	int exit_code = kExitExercised;
	for (unsigned i = 1; i <= opt.iterations; ++i) {
		const double now = sys::monotonic_ms();
		if (i > 1 && opt.duration_s > 0 && now >= start_ms + opt.duration_s * 1000.0) {
			std::fprintf(stderr,
				     "repro-splice-dio: --duration %g s reached after %u of %u iterations; stopping\n",
				     opt.duration_s, i - 1, opt.iterations);
			break;
		}
		if (i > 1 && now >= deadline_ms) {
			// Every started iteration finished and was reported; the hard bound
			// only cuts the remaining ones.
			std::fprintf(
				stderr,
				"repro-splice-dio: --time-limit %g s reached after %u of %u iterations; stopping\n",
				opt.time_limit_s, i - 1, opt.iterations);
			break;
		}
		{
			std::lock_guard<std::mutex> lock(live.report_mutex());
			live.in_iteration = true;
		}
		IterationRecord rec = run_iteration(ctx, i);
		{
			std::lock_guard<std::mutex> lock(live.report_mutex());
			emit_line(to_json_line(rec));
			live.in_iteration = false;
		}
		if (rec.outcome != Outcome::kExercised) {
			if (!rec.reason.empty())
				std::fprintf(stderr, "repro-splice-dio: iteration %u: %s\n", i, rec.reason.c_str());
			exit_code = exit_code_for(rec.outcome);
			// A skip on a non-ext4 --any-fs run still runs every iteration; any
			// other non-exercised outcome would repeat itself, so stop.
			if (!(rec.reason_code == "NOT_EXT4" && rec.failed_step == "fs"))
				break;
		}
	}
	watchdog.stop();
	::close(dirfd);
	return exit_code;
}
