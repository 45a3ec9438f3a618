// `pipehang oracle`: one verdict for the kernel tree in the current
// directory, for `git bisect run`:
//
//   git bisect run pipehang oracle --build --kernel .
//
// Builds the tree (scripts/kernel/build-kernel.sh, with the user's
// --config / --fragment if given; a failed build is skip, never bad, but a
// config lacking what the oracle needs is bad input: error), prints its kernel signature, then judges it with the
// oracle behind `pipehang run` (pipehang::oracle::judge, in-process): pipewatch.ko built against the tree, a TCG boot,
// the reproducer, the classifier. Exit codes (contract 4, util/exit_status.h): good, bad, skip, error (git bisect run
// aborts).
#include "command.h"
#include "flag_checks.h"
#include "lab_flags.h"

#include "bisect/kernel_oracle.h"
#include "bisect/kernel_signature.h"
#include "bisect/kernel_tree.h"
#include "bisect/modes.h"
#include "oracle/decide.h"
#include "oracle/ktap.h"
#include "paths.h"
#include "util/exit_status.h"
#include "util/interrupt.h"
#include "util/process.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <tuple>

#include <unistd.h>

namespace pipehang::cli {
namespace {

namespace fs = std::filesystem;
using namespace pipehang::bisect;

struct OracleArgs {
	std::string kernel = ".";
	bool build = false;
	std::string mode = "pipehang";
	std::string runs;
	std::string jobs = std::to_string(bisect::KernelOracleOptions{}.jobs);
	std::string config;
	std::string fragment;
	bool icecc = false;
	bool json = false;
	bool ktap = false;
	lab::LabOptions lab;
};

// Bad input: status error all the same (git bisect run reads 2 as "bad").
int fail(const std::string &msg)
{
	std::fprintf(stderr, "pipehang oracle: usage error: %s\n", msg.c_str());
	return exit_code(Verdict::error);
}

bool positive(const std::string &s, int &out)
{
	try {
		std::size_t n = 0;
		out = std::stoi(s, &n);
		return n == s.size() && out > 0;
	} catch (...) {
		return false;
	}
}

int run_oracle(const OracleArgs &a, const std::vector<std::string> &extras)
{
	util::install_interrupt_handlers(); // Ctrl-C: QEMU and make killed, exit error
	// Every bad input ends in error: `git bisect run` would read usage (2) as "bad".
	if (!extras.empty())
		return fail(fmt::format("unexpected argument(s): {} (see --help)", fmt::join(extras, " ")));
	guest::InstanceRunner runner;
	if (open_lab_runner("oracle", a.lab, runner))
		return exit_code(Verdict::error);
	auto mode = bisect_modes::by_name(a.mode);
	if (!mode)
		return fail(fmt::format("--mode '{}': expected pipehang or syzbot", a.mode));
	KernelOracleOptions o;
	if (!positive(a.jobs, o.jobs))
		return fail(fmt::format("--jobs '{}': expected a positive number", a.jobs));
	if (!a.runs.empty() && !positive(a.runs, o.runs))
		return fail(fmt::format("--runs '{}': expected a positive number", a.runs));
	std::error_code ec;
	o.tree = fs::absolute(a.kernel, ec);
	if (ec)
		return fail(fmt::format("--kernel {}: {}", a.kernel, ec.message()));
	if (std::string why = kernel_tree_problem(o.tree); !why.empty())
		return fail(fmt::format("--kernel {}: not a kernel source tree ({})", a.kernel, why));
	o.build_script = source_dir() / "scripts/kernel/build-kernel.sh";
	o.image = image_options(true);
	for (const auto &[flag, file, dest] :
	     {std::tuple{"--config", &a.config, &o.config}, std::tuple{"--fragment", &a.fragment, &o.fragment}}) {
		if (file->empty())
			continue;
		if (!a.build)
			return fail(fmt::format("{} applies to a build: pass --build too", flag));
		if (!fs::is_regular_file(*file, ec) || access(file->c_str(), R_OK) != 0)
			return fail(fmt::format("{} {}: not a readable file", flag, *file));
		*dest = fs::absolute(*file);
	}
	if (a.icecc && !a.build)
		return fail("--icecc applies to a build: pass --build too");
	// Before any build (build-kernel.sh would refuse it too, exit 2).
	if (a.icecc && !util::have_program("icecc"))
		return fail("--icecc: icecc is not installed (Debian package icecc: scripts/install-deps.sh "
			    "kernel-build)");
	o.icecc = a.icecc;
	o.progress = [](std::string_view l) { std::fprintf(stderr, "  %.*s\n", static_cast<int>(l.size()), l.data()); };
	o.runner = runner;
	KernelOracle oracle(o);

	BuildOutcome b;
	if (a.build) {
		std::fprintf(stderr, "building kernel in %s\n", o.tree.c_str());
		b = oracle.build({});
	} else {
		if (!fs::exists(o.tree / "vmlinux"))
			return fail(fmt::format("--kernel {} is not built (no vmlinux); pass --build", a.kernel));
		auto sig = kernel_signature((o.tree / "vmlinux").string());
		b.ok = sig.ok;
		b.signature = sig.signature;
		b.error = sig.error;
	}
	nlohmann::json j;
	j["tree"] = o.tree.string();
	j["mode"] = mode->name;
	j["build_seconds"] = b.seconds;
	if (!b.ok && b.input_error) {
		// The build script refused the tree, or the user's config cannot
		// give a kernel the oracle can judge: bad input (error stops git
		// bisect run), not a skip of every revision.
		std::fprintf(stderr, "pipehang oracle: usage error: %s\n", b.error.c_str());
		return exit_code(Verdict::error);
	}
	// Human lines: stdout, or stderr when stdout is the KTAP.
	FILE *human = a.ktap ? stderr : stdout;
	const std::string ktap_name = "kernel tree " + o.tree.string();
	if (!b.ok) {
		// No kernel to test says nothing about the bug: skip, never bad.
		std::fprintf(human, "kernel build failed: %s\nverdict: skip\n", b.error.c_str());
		j["verdict"] = "skip";
		j["reason"] = "kernel build failed: " + b.error;
		if (a.json)
			std::printf("%s\n", j.dump().c_str());
		if (a.ktap)
			std::printf("%s", oracle::ktap_document(
						  {oracle::ktap_verdict_test("skip", "kernel build failed: " + b.error,
									     {}, 1, ktap_name)})
						  .c_str());
		return exit_code(Verdict::skip);
	}
	std::fprintf(human, "kernel signature: %s\n", b.signature.c_str());
	if (b.config_hash.empty())
		b.config_hash = config_hash(o.tree / ".config");
	std::fprintf(human, "kernel config: %s\n", b.config_hash.c_str());
	std::fflush(human);
	TestOutcome t = oracle.test({}, *mode);
	for (const auto &l : t.lines)
		std::fprintf(human, "%s\n", l.c_str());
	std::string detail = t.verdict == Verdict::bad ? t.title : t.reason;
	std::fprintf(human, "verdict: %s%s\n", std::string(to_string(t.verdict)).c_str(),
		     detail.empty() ? "" : (" (" + detail + ")").c_str());
	j["signature"] = b.signature;
	j["config_hash"] = b.config_hash;
	j["verdict"] = to_string(t.verdict);
	j["title"] = t.title;
	j["reason"] = t.reason;
	j["lines"] = t.lines;
	j["entry_unavailable"] = t.entry_unavailable;
	j["unavailable_entry"] = t.unavailable_entry;
	j["test_seconds"] = t.seconds;
	if (a.json)
		std::printf("%s\n", j.dump().c_str());
	if (a.ktap) {
		std::vector<std::string> diagnostics = t.lines;
		diagnostics.insert(diagnostics.begin(), "kernel signature: " + b.signature);
		std::printf("%s", oracle::ktap_document({oracle::ktap_verdict_test(std::string(to_string(t.verdict)),
										   detail, diagnostics, 1, ktap_name)})
					  .c_str());
	}
	return exit_code(t.verdict);
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<OracleArgs>();
	app.description(fmt::format("judge one kernel tree for `git bisect run`: build it (failure = skip), then judge "
				    "it like `pipehang run`; exit {} good, {} bad, {} skip, {} harness error",
				    exit_code(Verdict::good), exit_code(Verdict::bad), exit_code(Verdict::skip),
				    exit_code(Verdict::error)));
	app.allow_extras();
	app.add_option(
		   "--kernel", a->kernel,
		   "kernel source tree to build and test: a Makefile with VERSION and PATCHLEVEL, Kconfig, arch/x86 "
		   "(default, flag left out: the current directory)")
		->check(not_empty("give a kernel source tree, or leave --kernel out for the current directory"));
	app.add_flag("--build", a->build,
		     "build the tree first (scripts/kernel/build-kernel.sh); without it the tree must be built");
	app.add_option("--mode", a->mode,
		       "pipehang (default: entry fallback, not exercised = skip) or syzbot (openat2 only, ENOSYS = "
		       "clean run)");
	// The ranges of `pipehang run --runs` and `pipehang bisect --jobs`.
	app.add_option(
		   "--runs", a->runs,
		   fmt::format("reproducer runs needed for good (default {}, as pipehang run)", oracle::Policy{}.runs))
		->check(whole_number(1, 1000));
	app.add_option("--jobs,--build-jobs", a->jobs,
		       "parallel make jobs for the kernel build (--build-jobs is the same flag; not capped by the "
		       "local cores: with --icecc, the cluster's job slots)")
		->capture_default_str()
		->check(whole_number(1, 256));
	app.add_flag("--icecc", a->icecc,
		     "with --build: compile through your icecream (icecc) cluster -- this machine's iceccd, joined "
		     "to it -- with ccache in front (build-kernel.sh --icecc; package icecc, else exit " +
			     std::to_string(exit_code(Verdict::error)) + ")");
	app.add_option("--config", a->config,
		       "with --build: start from this full .config (e.g. your distro's), taken through olddefconfig, "
		       "instead of tinyconfig + harness/kernel-config/pipehang.config; it must have what the oracle "
		       "needs built in (harness/kernel-config/required.config), else exit " +
			       std::to_string(exit_code(Verdict::error)) + " with the missing options")
		->type_name("FILE");
	app.add_option("--fragment", a->fragment,
		       "with --build: a config fragment merged on top of the default or of --config (e.g. "
		       "CONFIG_VIRTIO_BLK=y for a distro config); every line must survive olddefconfig")
		->type_name("FILE");
	auto *json_flag = app.add_flag("--json", a->json, "also print the verdict as one JSON object");
	app.add_flag("--ktap", a->ktap,
		     "print the verdict as KTAP on stdout instead (human lines go to stderr): one test for the tree, "
		     "the run lines as diagnostics; good ok, bad not ok, skip '# SKIP reason', error '# ERROR reason'")
		->excludes(json_flag);
	add_lab_options(app, a->lab);
	CLI::App *appp = &app;
	return [a, appp] { return run_oracle(*a, appp->remaining()); };
}

} // namespace

PIPEHANG_COMMAND("oracle", setup);

} // namespace pipehang::cli
