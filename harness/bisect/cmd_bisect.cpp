// `pipehang bisect --tree DIR [--good REV] --bad REV`: a whole cause
// bisection of a kernel history -- any history, merges included: git's own
// engine picks the revisions (userspace/bisect/git_bisect.h) -- logged the
// way syzbot logs its bisections, with a search back for a good end when the given one is bad
// (or missing), verdict reuse for identical kernel signatures, culprit
// verification by revert, and the false-culprit check (re-bisecting with the
// reproducer's fallback entry point when it fires).
//
// Exit (util/exit_status.h): good, a single culprit was found (by the last
// bisection run); no_culprit (skips, the bad end is not bad, no good revision
// found); usage; error, a harness error. The work tree's HEAD is restored at
// the end.
#include "command.h"
#include "flag_checks.h"
#include "lab_flags.h"

#include "bisect/duration.h"
#include "bisect/git_repo.h"
#include "bisect/kernel_oracle.h"
#include "bisect/kernel_tree.h"
#include "bisect/local_pool.h"
#include "bisect/modes.h"
#include "bisect/range_check.h"
#include "bisect/report_json.h"
#include "bisect/report_ktap.h"
#include "bisect/report_writer.h"
#include "oracle/decide.h"
#include "paths.h"
#include "util/exit_status.h"
#include "util/interrupt.h"
#include "util/process.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <tuple>
#include <vector>

#include <unistd.h>

namespace pipehang::cli {
namespace {

namespace fs = std::filesystem;
namespace exit_status = util::exit_status;
using namespace pipehang::bisect;

struct BisectArgs {
	std::string tree;
	std::string good;
	std::string bad;
	std::string mode = "pipehang";
	bool no_verify = false;
	bool no_rebisect = false;
	bool no_reuse = false;
	int search_back = bisect::SearchOptions{}.max_revisions;
	std::string tag_pattern;
	CLI::Option *tag_pattern_opt = nullptr; // to tell "--tag-pattern ''" from no flag
	int runs = 0;
	int jobs = bisect::KernelOracleOptions{}.jobs;
	int workers = 1;
	std::string config;
	std::string fragment;
	bool icecc = false;
	std::string log_file;
	std::string json_file;
	std::string report_dir;
	std::string ktap_file;
	lab::LabOptions lab;
};

int run_bisect(const BisectArgs &a)
{
	auto mode = bisect_modes::by_name(a.mode);
	if (!mode) {
		std::fprintf(stderr, "pipehang bisect: --mode '%s': expected pipehang or syzbot\n", a.mode.c_str());
		return exit_status::usage;
	}
	if (a.good.empty() && a.search_back == 0) {
		std::fprintf(stderr,
			     "pipehang bisect: --good is required with --search-back 0 (nothing to bisect from)\n");
		return exit_status::usage;
	}
	if (a.icecc && !util::have_program("icecc")) {
		// Before any git or build work (build-kernel.sh would refuse it too).
		std::fprintf(stderr, "pipehang bisect: --icecc: icecc is not installed (Debian package icecc: "
				     "scripts/install-deps.sh kernel-build)\n");
		return exit_status::usage;
	}
	if (a.tag_pattern_opt && a.tag_pattern_opt->count() > 0 && a.tag_pattern.empty()) {
		std::fprintf(stderr, "pipehang bisect: --tag-pattern '': expected a glob such as 'v5.*'\n");
		return exit_status::usage;
	}
	std::unique_ptr<std::ofstream> logf;
	if (!a.log_file.empty()) {
		logf = std::make_unique<std::ofstream>(a.log_file, std::ios::trunc);
		if (!*logf) {
			std::fprintf(stderr, "pipehang bisect: cannot write --log %s\n", a.log_file.c_str());
			return exit_status::usage;
		}
	}
	auto log = [&](std::string_view line) {
		std::printf("%.*s\n", static_cast<int>(line.size()), line.data());
		std::fflush(stdout);
		if (logf)
			*logf << line << '\n' << std::flush;
	};

	// The lab first: a refused token ends the bisection before any build.
	guest::InstanceRunner runner;
	if (int rc = open_lab_runner("bisect", a.lab, runner))
		return rc;
	std::unique_ptr<GitRepo> repo;
	try {
		repo = std::make_unique<GitRepo>(fs::absolute(a.tree));
	} catch (const GitError &e) {
		std::fprintf(stderr, "pipehang bisect: %s\n", e.what());
		return exit_status::usage;
	}
	if (repo->bisect_in_progress()) {
		// Someone's own `git bisect` in this tree: never disturb it.
		std::fprintf(stderr,
			     "pipehang bisect: --tree %s: a git bisection is already in progress there (see `git "
			     "bisect log`); pipehang leaves it alone: finish it with `git bisect reset` first\n",
			     a.tree.c_str());
		return exit_status::usage;
	}
	if (auto dirty = repo->dirty_files(); !dirty.empty()) {
		std::fprintf(stderr,
			     "pipehang bisect: --tree %s has uncommitted changes (%s%s); commit or stash them first\n",
			     a.tree.c_str(), dirty.front().c_str(), dirty.size() > 1 ? ", ..." : "");
		return exit_status::usage;
	}
	if (std::string why = kernel_tree_problem(repo->dir()); !why.empty()) {
		std::fprintf(stderr,
			     "pipehang bisect: --tree %s is not a kernel source tree (%s): give the git work tree of a "
			     "Linux kernel\n",
			     a.tree.c_str(), why.c_str());
		return exit_status::usage;
	}
	std::optional<Commit> good;
	Commit bad;
	try {
		if (!a.good.empty()) // no --good: searched for
			good = repo->resolve(a.good);
		bad = repo->resolve(a.bad);
	} catch (const GitError &e) {
		std::fprintf(stderr, "pipehang bisect: %s\n", e.what());
		return exit_status::usage;
	}
	if (good)
		if (std::string why = range_problem(*repo, a.good, *good, a.bad, bad); !why.empty()) {
			std::fprintf(stderr, "pipehang bisect: %s\n", why.c_str());
			return exit_status::usage;
		}
	KernelOracleOptions o;
	o.tree = repo->dir();
	o.build_script = source_dir() / "scripts/kernel/build-kernel.sh";
	o.image = image_options(true);
	o.jobs = a.jobs;
	o.icecc = a.icecc;
	o.runs = a.runs;
	for (const auto &[flag, file, dest] :
	     {std::tuple{"--config", &a.config, &o.config}, std::tuple{"--fragment", &a.fragment, &o.fragment}}) {
		if (file->empty())
			continue;
		std::error_code ec;
		if (!fs::is_regular_file(*file, ec) || access(file->c_str(), R_OK) != 0) {
			std::fprintf(stderr, "pipehang bisect: %s %s: not a readable file\n", flag, file->c_str());
			return exit_status::usage;
		}
		*dest = fs::absolute(*file);
	}
	if (!fs::exists(o.build_script)) {
		std::fprintf(stderr, "pipehang bisect: harness error: %s missing\n", o.build_script.c_str());
		return exit_status::error;
	}
	o.progress = [](std::string_view l) { std::fprintf(stderr, "  %.*s\n", static_cast<int>(l.size()), l.data()); };
	if (!a.report_dir.empty()) {
		// Made before any work: a directory the probe passed but that
		// cannot be made is bad input, not a failure hours later.
		std::error_code ec;
		fs::create_directories(a.report_dir, ec);
		if (ec) {
			std::fprintf(stderr, "pipehang bisect: --report %s: cannot make it: %s\n", a.report_dir.c_str(),
				     ec.message().c_str());
			return exit_status::usage;
		}
		o.report_dir = fs::absolute(a.report_dir);
	}
	o.runner = runner;
	KernelOracle oracle(o);

	util::install_interrupt_handlers(); // Ctrl-C aborts (error) and HEAD is restored
	const std::string head = repo->current_head();
	Session session(*repo, oracle, log);
	if (a.workers > 1) {
		try {
			session.set_workers(local_pool(*repo, oracle, o, a.workers, log));
		} catch (const std::exception &e) {
			std::fprintf(stderr, "pipehang bisect: harness error: --workers %d: %s\n", a.workers, e.what());
			return exit_status::error;
		}
	}
	session.set_reuse_verdicts(!a.no_reuse);
	session.set_good_end_search({a.search_back, a.tag_pattern});
	std::unique_ptr<BisectReportWriter> report;
	if (!a.report_dir.empty()) {
		report = std::make_unique<BisectReportWriter>(
			*repo, fs::absolute(a.report_dir), ReportHeader{a.tree, a.good, a.bad}, bad,
			[](std::string_view e) {
				std::fprintf(stderr, "pipehang bisect: warning: --report: %.*s\n", int(e.size()),
					     e.data());
			});
		session.set_on_step([&report](const BisectionReport &r, bool done) { report->step(r, done); });
		report->start();
	}
	std::optional<Mode> fallback;
	if (!a.no_rebisect)
		fallback = bisect_modes::pipehang_mode();
	SessionReport rep = session.run(a.good, a.bad, *mode, fallback, !a.no_verify);
	try {
		repo->restore_head(head);
	} catch (const std::exception &e) {
		log(fmt::format("warning: could not restore HEAD {}: {}", head, e.what()));
	}

	{
		log(rep.rebisect ? "=== both bisections" : "=== result");
		std::vector<const BisectionReport *> all = {&rep.first};
		if (rep.rebisect)
			all.push_back(&*rep.rebisect);
		for (const auto *r : all)
			log(fmt::format(
				"{} mode: {} ({} revisions tested, {} verdicts reused, total {}: build {}, test {})",
				r->mode.name,
				r->culprit ? r->culprit->id.substr(0, 12) + " " + r->culprit->subject
					   : std::string("no single culprit"),
				r->revisions_tested, r->verdicts_reused, format_duration(r->total_seconds),
				format_duration(r->build_seconds), format_duration(r->test_seconds)));
		for (const auto *r : all)
			if (auto l = search_summary(*r); !l.empty())
				log(fmt::format("{} mode: {}", r->mode.name, l));
	}
	if (report) {
		report->finish(rep);
		log(fmt::format("report: {}/index.html", a.report_dir));
	}
	if (!a.json_file.empty()) {
		nlohmann::json j = session_json(rep);
		// Probed before the work started (--json's check); should it still
		// fail after hours of bisection, say so and print the report (stderr).
		std::ofstream out(a.json_file, std::ios::trunc);
		out << j.dump(2) << '\n';
		out.flush();
		if (!out) {
			std::fprintf(stderr,
				     "pipehang bisect: harness error: cannot write --json %s; the report:\n%s\n",
				     a.json_file.c_str(), j.dump(2).c_str());
			return exit_status::error;
		}
	}
	if (!a.ktap_file.empty()) {
		// Probed before the work started, as --json.
		std::ofstream out(a.ktap_file, std::ios::trunc);
		out << session_ktap(rep);
		out.flush();
		if (!out) {
			std::fprintf(stderr, "pipehang bisect: harness error: cannot write --ktap %s; the KTAP:\n%s",
				     a.ktap_file.c_str(), session_ktap(rep).c_str());
			return exit_status::error;
		}
	}
	const BisectionReport &last = rep.rebisect ? *rep.rebisect : rep.first;
	if (rep.first.usage_error || last.usage_error)
		return exit_status::usage; // e.g. a --config without what the oracle needs
	if (rep.first.harness_error || last.harness_error)
		return exit_status::error;
	return last.culprit ? exit_status::good : exit_status::no_culprit;
}

RunFn setup(CLI::App &app)
{
	auto a = std::make_shared<BisectArgs>();
	app.description("bisect a kernel history (any history, merges included: git's own bisect engine picks the "
			"revisions) for the pipe_release hang (syzbot-style log, search back when the good end is bad, "
			"signature reuse, culprit verification, false-culprit check, merge culprits explained)");
	app.footer(fmt::format(
		"Exit: {} a single culprit found (by the last bisection), {} no single culprit (the bad end is not "
		"bad, no good revision found within --search-back, only skips left), {} usage error (also: a --tree "
		"that is not a kernel tree, --good not an ancestor of --bad or the same commit, an unwritable --log "
		"or --json, a git bisection already in progress in --tree, a --config lacking what the oracle "
		"needs, a tree the kernel build script refuses), {} harness error. Details: docs/bisect.md",
		exit_status::good, exit_status::no_culprit, exit_status::usage, exit_status::error));
	app.add_option("--tree", a->tree,
		       "git work tree of a Linux kernel (built in place): a Makefile with VERSION and PATCHLEVEL, "
		       "Kconfig, arch/x86")
		->required()
		->check(not_empty("give the git work tree of a Linux kernel"));
	app.add_option("--good", a->good,
		       "a revision believed not to have the bug; it is tested first, and if it is bad the bug is older "
		       "than the range: pipehang searches back from it (see --search-back). Optional: without it the "
		       "search starts from --bad. It must be an ancestor of --bad, not the same commit (else exit "
		       "usage)")
		->type_name("REV")
		->check(not_empty("give a revision, or leave --good out to search back from --bad"));
	app.add_option("--bad", a->bad, "a revision with the bug")
		->required()
		->type_name("REV")
		->check(not_empty("give a revision with the bug, e.g. HEAD"));
	app.add_option("--search-back", a->search_back,
		       "when the good end is bad (or not given), test at most N older revisions looking for a good "
		       "one: tags reachable from the good end, newest first (see --tag-pattern), then first-parent "
		       "ancestors at distance 1, 2, 4, 8, ...; a revision that cannot be tested is stepped over, never "
		       "taken as good; the bisection then starts from the good revision found (0: no "
		       "search, a bad good end stops the bisection)")
		->capture_default_str()
		->type_name("N")
		->check(CLI::Range(0, 1000));
	a->tag_pattern_opt = app.add_option("--tag-pattern", a->tag_pattern,
					    "which tags the search tries, an fnmatch(3) glob on the tag name, e.g. "
					    "'v5.*' (default: kernel "
					    "release tags vX.Y and vX.Y.Z, not -rc, like syzbot; when none is "
					    "reachable, every tag; '*' for every "
					    "tag)")
				     ->type_name("GLOB");
	app.add_option(
		"--mode", a->mode,
		"pipehang (default: reproducer falls back from openat2; not exercised = skip) or syzbot "
		"(openat2 only, ENOSYS = clean run; a suspicious culprit triggers a pipehang-mode re-bisection)");
	app.add_flag("--no-verify", a->no_verify, "do not verify the culprit by reverting it on the bad commit");
	app.add_flag("--no-rebisect", a->no_rebisect, "report a suspicious culprit but do not bisect again");
	app.add_flag("--no-reuse", a->no_reuse,
		     "boot every revision, even when its kernel signature was already judged");
	app.add_option("--runs", a->runs,
		       fmt::format("reproducer runs per revision (default {}, as pipehang run)", oracle::Policy{}.runs))
		->check(CLI::Range(1, 1000));
	app.add_option("--jobs,--build-jobs", a->jobs,
		       "parallel make jobs for each kernel build (--build-jobs is the same flag; not capped by the "
		       "local cores: with --icecc, the cluster's job slots; with --workers K, each worker's)")
		->check(CLI::Range(1, 256))
		->capture_default_str();
	app.add_option("--workers", a->workers,
		       "revisions tested per round of the narrowing, one per worker, at once (k-ary multisection: "
		       "about log(K+1) of the candidates' rounds instead of log2). Worker 1 is --tree, the others "
		       "git worktrees of it kept in the cache (about 1.3 GB each for a kernel tree, made once); "
		       "each builds with --jobs and boots its own guest (or, with --lab, its own lab job). A "
		       "worker that fails gives its revision back to the pool, never a verdict")
		->check(CLI::Range(1, 32))
		->capture_default_str();
	app.add_flag("--icecc", a->icecc,
		     "compile every revision through your icecream (icecc) cluster -- this machine's iceccd, joined "
		     "to it -- with ccache in front (build-kernel.sh --icecc; package icecc, else exit 2)");
	app.add_option("--config", a->config,
		       "build every revision from this full .config (e.g. your distro's), taken through olddefconfig, "
		       "instead of tinyconfig + harness/kernel-config/pipehang.config; what the oracle needs must be "
		       "built in (harness/kernel-config/required.config), else exit 2 naming the missing options")
		->type_name("FILE");
	app.add_option("--fragment", a->fragment,
		       "a config fragment merged on top of the default or of --config (e.g. CONFIG_VIRTIO_BLK=y); its "
		       "hash, with the config's, joins the kernel-signature key")
		->type_name("FILE");
	app.add_option("--log", a->log_file, "also write the bisection log to FILE (checked before any work)")
		->check(writable_file());
	app.add_option("--json", a->json_file,
		       "write both bisection reports as JSON to FILE at the end (checked before any work)")
		->check(writable_file());
	app.add_option("--report", a->report_dir,
		       "write an HTML report to DIR/index.html (the history drawn as SVG, every revision tested with "
		       "its verdict, reason, times and signature, the culprit, the revert check and the false-culprit "
		       "reasoning) and each revision's run report under DIR/runs/; rewritten after every revision, so "
		       "an interrupted bisection leaves a readable page. DIR is made if missing (checked before any "
		       "work)")
		->type_name("DIR")
		->check(writable_dir());
	app.add_option("--ktap", a->ktap_file,
		       "write both bisections as KTAP to FILE at the end (checked before any work): a test per "
		       "bisection (the first, the re-bisection), a subtest per revision tested with its verdict (good "
		       "ok, bad not ok, skip '# SKIP', error '# ERROR'), the culprit as a diagnostic")
		->check(writable_file());
	add_lab_options(app, a->lab);
	return [a] { return run_bisect(*a); };
}

} // namespace

PIPEHANG_COMMAND("bisect", setup);

} // namespace pipehang::cli
