// `pipehang run`: the oracle. Boots the kernel, runs the reproducer N
// times in as few boots as possible, reads the console with the classifier
// and answers good / bad / skip for `git bisect run` (exit statuses:
// util/exit_status.h; a harness error is error, never a verdict).
#include "command.h"
#include "flag_checks.h"
#include "guest_options.h"
#include "lab_flags.h"
#include "paths.h"
#include "repro_flags.h"

#include "guest/kernel.h"
#include "html/run_report_writer.h"
#include "oracle/judge.h"
#include "oracle/ktap.h"
#include "util/exit_status.h"
#include "util/interrupt.h"
#include "util/progress.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace pipehang::cli {
namespace {

using namespace pipehang::oracle;

struct RunArgs {
	JudgeOptions o;
	std::string other_crash = "skip";
	bool json = false;
	bool ktap = false;
	bool no_module = false;
	bool quiet = false;
	std::string console_out;
	std::string report_dir;
	int max_runs = -1;
	lab::LabOptions lab;
};

// The KTAP test's name: the kernel's release once known, else as given.
std::string ktap_test_name(const RunArgs &a, const nlohmann::json *judgement)
{
	std::string release;
	if (judgement && judgement->contains("kernel"))
		release = (*judgement)["kernel"].value("release", "");
	if (!release.empty())
		return "kernel " + release;
	return "kernel " + (a.o.kernel.empty() ? std::string("(newest Debian 6.1)") : a.o.kernel);
}

int run_oracle(RunArgs &a)
{
	// The flags the reproducer will get in the guest, read by its own
	// parser here: a flag it refuses would fail every run (a skip).
	if (std::string why = reproducer_refuses(a.o); !why.empty()) {
		std::fprintf(stderr, "pipehang run: usage error: %s\n", why.c_str());
		return exit_code(Verdict::error);
	}
	util::install_interrupt_handlers();
	util::set_quiet(a.quiet);
	if (open_lab_runner("run", a.lab, a.o.runner))
		return exit_code(Verdict::error); // bad input too: git bisect run reads 2 as bad
	a.o.policy.other_crash = a.other_crash == "bad" ? OtherCrash::bad : OtherCrash::skip;
	a.o.policy.require_module = !a.no_module;
	a.o.image = image_options(!a.no_module);
	a.o.policy.max_runs = a.max_runs >= 0 ? a.max_runs : 2 * a.o.policy.runs;
	// Human lines: stdout normally, stderr with --json or --ktap (stdout is
	// the JSON or the KTAP).
	FILE *human = a.json || a.ktap ? stderr : stdout;
	a.o.on_line = [human](const std::string &line) {
		std::fprintf(human, "%s\n", line.c_str());
		std::fflush(human);
	};
	std::unique_ptr<std::ofstream> console;
	if (!a.console_out.empty()) {
		console = std::make_unique<std::ofstream>(a.console_out, std::ios::binary | std::ios::trunc);
		if (!*console) {
			std::fprintf(stderr, "pipehang run: harness error: cannot write --console %s\n",
				     a.console_out.c_str());
			return exit_code(Verdict::error);
		}
		a.o.on_console = [&console](std::string_view chunk) {
			console->write(chunk.data(), chunk.size()).flush();
		};
	}
	std::shared_ptr<html::RunReportWriter> report;
	if (!a.report_dir.empty()) {
		// Made now, before any boot: a directory the probe passed but
		// that cannot be made (e.g. under /proc) is still bad input.
		std::error_code ec;
		std::filesystem::create_directories(a.report_dir, ec);
		if (ec) {
			std::fprintf(stderr, "pipehang run: usage error: --report %s: cannot make it: %s\n",
				     a.report_dir.c_str(), ec.message().c_str());
			return exit_code(Verdict::error);
		}
		report = std::make_shared<html::RunReportWriter>(a.report_dir, [](std::string_view e) {
			std::fprintf(stderr, "pipehang run: warning: --report: %.*s\n", int(e.size()), e.data());
		});
		a.o.on_report = [report](const nlohmann::json &j, bool final) { report->update(j, final); };
	}
	try {
		JudgeResult r = judge(a.o);
		if (report && !report->failed())
			std::fprintf(human, "report: %s/index.html\n", a.report_dir.c_str());
		if (a.json)
			std::cout << r.json.dump(2) << std::endl;
		if (a.ktap)
			std::cout << ktap_document({ktap_kernel_test(r.json, 1, ktap_test_name(a, &r.json))})
				  << std::flush;
		return exit_code(r.decision.verdict);
	} catch (const util::Interrupted &e) {
		std::fprintf(stderr, "pipehang run: %s: VM stopped, temporary files removed\n", e.what());
		if (a.ktap)
			std::cout << ktap_document({ktap_error_test(std::string("interrupted: ") + e.what(), 1,
								    ktap_test_name(a, nullptr))})
				  << std::flush;
		if (report)
			report->stopped(e.what());
		return util::exit_status::interrupted;
	} catch (const std::exception &e) {
		std::fprintf(stderr, "pipehang run: harness error: %s\n", e.what());
		if (report)
			report->stopped(std::string("harness error: ") + e.what());
		if (a.json)
			std::cout << nlohmann::json{{"verdict", to_string(Verdict::error)},
						    {"exit_code", exit_code(Verdict::error)},
						    {"error", e.what()}}
					     .dump(2)
				  << std::endl;
		if (a.ktap)
			std::cout << ktap_document({ktap_error_test(std::string("harness error: ") + e.what(), 1,
								    ktap_test_name(a, nullptr))})
				  << std::flush;
		return exit_code(Verdict::error);
	}
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<RunArgs>();
	namespace es = util::exit_status;
	app.description(fmt::format(
		"Judge a kernel: does it have the target hang ('INFO: task hung in pipe_release')?\n"
		"Boots it under QEMU, runs the reproducer --runs times in as few boots as possible, reads the "
		"console.\n"
		"Exit status (git bisect run): {} good, {} bad, {} skip (boot failed, path not exercised,\n"
		"module not loaded, other crash), {} harness error (bad input, QEMU missing or killed), {} "
		"interrupted.",
		es::good, es::bad, es::skip, es::error, es::interrupted));
	app.add_option("--kernel", a->o.kernel,
		       "bzImage, kernel build tree, Debian linux-image .deb, or Debian kernel version (e.g. "
		       "6.1.0-56-amd64). "
		       "Default (flag left out; an empty value is refused): the newest Debian 6.1 image")
		->check(not_empty(kKernelHint));
	app.add_option("--runs", a->o.policy.runs, "clean runs needed for good")
		->capture_default_str()
		->check(CLI::Range(1, 1000));
	app.add_option("--max-runs", a->max_runs, "runs allowed when runs disagree (default 2 x --runs)")
		->check(CLI::Range(1, 2000));
	app.add_option("--target", a->o.target, "the report title that means bad")
		->capture_default_str()
		->check(not_empty("give a report title, e.g. 'INFO: task hung in pipe_release'"));
	app.add_flag(
		"--fallback", a->o.fallback,
		"let the reproducer fall back from openat2 to openat/io_uring (else: openat2 only; ENOSYS = skip)");
	app.add_option("--deny", a->o.deny,
		       "syscall the reproducer denies itself with seccomp (repeatable), e.g. openat2; checked by the "
		       "reproducer's own parser before any boot");
	app.add_option("--other-crash", a->other_crash, "verdict when a different crash appears: skip or bad")
		->capture_default_str()
		->check(CLI::IsMember({"skip", "bad"}));
	auto *json_flag =
		app.add_flag("--json", a->json, "print the full verdict as JSON on stdout (human lines go to stderr)");
	app.add_flag(
		   "--ktap", a->ktap,
		   "print the verdict as KTAP on stdout (human lines go to stderr): one test for the kernel, a subtest "
		   "per run; good ok, bad not ok, skip '# SKIP reason', harness error '# ERROR reason'")
		->excludes(json_flag);
	app.add_flag("--no-module", a->no_module, "run without pipewatch.ko (only the kernel's hung-task detector)");
	app.add_option("--boot-timeout", a->o.boot_timeout, "seconds allowed until the guest init runs")
		->capture_default_str()
		->check(CLI::Range(5, 3600));
	app.add_option("--run-timeout", a->o.run_timeout, "seconds without progress before the VM is declared stalled")
		->capture_default_str()
		->check(CLI::Range(10, 3600));
	app.add_option("--max-boots", a->o.max_boots, "boots allowed in total")
		->capture_default_str()
		->check(CLI::Range(1, 100));
	app.add_flag("!--no-early-stop", a->o.early_stop, "keep running after the target report appears");
	add_guest_options(app, a->o.guest);
	add_lab_options(app, a->lab);
	app.add_option("--repro", a->o.repro,
		       "reproducer binary in build/bin; only repro-splice-dio takes the oracle's flags (your own: "
		       "--repro-file)")
		->capture_default_str()
		->check(reproducer_next_to_pipehang());
	app.add_option("--repro-file", a->o.repro_file,
		       "use this executable (e.g. a busybox shell script) as the reproducer in the guest; contract 1 "
		       "applies")
		->check(readable_file());
	app.add_option(
		   "--fill", a->o.fill,
		   "what the reproducer's pipe holds (its --fill): mixed (an empty buffer left by an EFAULT "
		   "write between data pages -- the real zero-length-bvec trigger -- plus a full pipe of pages for the "
		   "slow-disk hold), gap (the real trigger alone), pages (the slow-disk hold alone)")
		->check(CLI::IsMember({"pages", "gap", "mixed"}))
		->capture_default_str();
	app.add_option(
		"--repro-arg", a->o.repro_args,
		"extra reproducer argument (repeatable), e.g. --repro-arg=--fork; checked with the reproducer's own "
		"parser before any boot");
	app.add_option("--console", a->console_out, "write the serial console(s) to FILE")->check(writable_file());
	app.add_option("--console-dir", a->o.console_dir, "keep each boot's console as DIR/console-N.log")
		->check(writable_dir());
	app.add_option("--report", a->report_dir,
		       "write an HTML report to DIR/index.html (one self-contained page: kernel and settings, a "
		       "timeline of the runs, the verdict, the waiter's and holder's stacks of a bad run) with the "
		       "consoles it links copied beside it; rewritten after every boot, so an interrupted run leaves "
		       "a readable page. DIR is made if missing")
		->type_name("DIR")
		->check(writable_dir());
	app.add_flag("--quiet", a->quiet, "no progress lines on stderr");
	return [a] { return run_oracle(*a); };
}

PIPEHANG_COMMAND("run", setup);

} // namespace
} // namespace pipehang::cli
