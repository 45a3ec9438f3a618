#include "bisect/kernel_oracle.h"

#include "bisect/build_result.h"
#include "html/run_report_writer.h"

#include "bisect/kernel_signature.h"
#include "oracle/emulator_fault.h"
#include "oracle/judge.h"
#include "util/interrupt.h"
#include "util/process.h"
#include "util/sha256.h"
#include "util/temp_dir.h"

#include <fmt/format.h>

#include <memory>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace pipehang::bisect {

using namespace pipehang::util;

namespace {

std::vector<std::string> split_lines(const std::string &s)
{
	std::vector<std::string> out;
	std::istringstream in(s);
	std::string l;
	while (std::getline(in, l))
		out.push_back(l);
	return out;
}

std::string tail_lines(const std::string &s, std::size_t n)
{
	auto lines = split_lines(s);
	std::string out;
	for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); i++)
		out += (out.empty() ? "" : " | ") + lines[i];
	return out;
}

} // namespace

TestOutcome test_outcome(const oracle::Decision &d, const oracle::Evidence &ev, const std::string &target)
{
	TestOutcome t;
	t.verdict = d.verdict;
	if (t.verdict == Verdict::bad)
		t.title = target; // rule 3: bad means the target report appeared
	else if (t.verdict == Verdict::skip)
		t.reason = d.reason;
	// Not evidence, but a bisection log should show why a revision took
	// an extra boot.
	for (const auto &f : ev.emulator_faults)
		t.lines.push_back(oracle::fault_line(f) + "; re-booted under " + std::string(oracle::kFaultFreeAccel));
	if (!ev.booted)
		t.lines.push_back("boot failed: " + ev.boot_failure);
	for (const auto &run : ev.runs) {
		t.lines.push_back(oracle::run_line(run));
		if (!t.entry_unavailable && !run.unavailable_entry.empty()) {
			t.entry_unavailable = true;
			t.unavailable_entry = run.unavailable_entry;
		}
	}
	if (t.verdict == Verdict::good)
		t.lines.push_back("all runs: OK");
	return t;
}

void apply_mode(TestOutcome &t, const Mode &mode)
{
	if (t.verdict == Verdict::skip && mode.unavailable_entry_is_clean && t.entry_unavailable) {
		// What syzbot's bisection effectively did on pre-openat2 kernels.
		t.verdict = Verdict::good;
		t.lines.push_back(fmt::format("all runs: OK (reproducer: {} returned ENOSYS; counted as a clean run "
					      "in {} mode)",
					      t.unavailable_entry, mode.name));
	}
}

std::string config_hash(const std::filesystem::path &dot_config)
{
	std::ifstream in(dot_config);
	if (!in)
		return {};
	util::Sha256 h;
	for (std::string l; std::getline(in, l);)
		if (l.rfind("CONFIG_", 0) == 0)
			h.update(l).update("\n");
	return h.hex();
}

BuildOutcome KernelOracle::build(const Commit &c)
{
	BuildOutcome b;
	std::vector<std::string> argv = {opt_.build_script.string(), "--jobs", std::to_string(opt_.jobs)};
	if (opt_.icecc)
		argv.push_back("--icecc");
	if (!opt_.config.empty())
		argv.insert(argv.end(), {"--config", opt_.config.string()});
	if (!opt_.fragment.empty())
		argv.insert(argv.end(), {"--fragment", opt_.fragment.string()});
	// The script's result as data (which options are missing, ...): its
	// stderr is for people.
	util::TempDir tmp("build-result");
	const auto result_file = tmp / "result";
	argv.insert(argv.end(), {"--result-file", result_file.string()});
	argv.push_back(opt_.tree.string());
	util::ProcOptions po = util::timed(opt_.build_timeout);
	auto r = util::run_process(argv, po);
	b.seconds = r.seconds;
	// Ctrl-C during a build must stop the bisection, not read as "skip".
	util::check_interrupted();
	const bool exited = r.started && !r.timed_out && r.term_signal == 0;
	if (exited && r.exit_code == kBuildScriptUsage) {
		// The script refused its input (a tree that is not a kernel tree,
		// an unreadable --config): not a build of this revision that failed.
		b.input_error = true;
		b.error = fmt::format("{} refused its input: {}", opt_.build_script.filename().string(),
				      tail_lines(r.errors, 3));
		return b;
	}
	if (exited && r.exit_code == kConfigUnusable) {
		// Not this revision's fault: the user's config lacks what the
		// oracle needs, and would on every revision.
		b.input_error = true;
		auto result = read_build_result(result_file);
		std::vector<std::string> missing = result ? result->missing : std::vector<std::string>{};
		std::string what =
			opt_.config.empty() ? "the default configuration" : "--config " + opt_.config.string();
		if (!opt_.fragment.empty())
			what += " + --fragment " + opt_.fragment.string();
		b.error = fmt::format(
			"{} lacks what the oracle needs: {}; add them built in (=y) with --fragment FILE "
			"(the list: harness/kernel-config/required.config)",
			what, missing.empty() ? tail_lines(r.errors, 5) : fmt::format("{}", fmt::join(missing, ", ")));
		return b;
	}
	if (!r.ok()) {
		b.error = fmt::format("{} ({}): {}", c.id.empty() ? opt_.tree.string() : c.id.substr(0, 12),
				      r.started ? r.describe() : r.start_error, tail_lines(r.errors, 3));
		return b;
	}
	auto sig = kernel_signature((opt_.tree / "vmlinux").string());
	if (!sig.ok) {
		b.error = sig.error;
		return b;
	}
	b.ok = true;
	b.signature = sig.signature;
	b.config_hash = config_hash(opt_.tree / ".config");
	return b;
}

std::string run_report_path(const Commit &c, const Mode &mode)
{
	return "runs/" + c.id.substr(0, 12) + "-" + mode.name + "/index.html";
}

TestOutcome KernelOracle::test(const Commit &c, const Mode &mode)
{
	TestOutcome t;
	oracle::JudgeOptions jo;
	jo.kernel = opt_.tree.string();
	jo.image = opt_.image;
	jo.fallback = mode.fallback; // without it the reproducer uses openat2 only
	jo.runner = opt_.runner;
	if (opt_.runs > 0) {
		jo.policy.runs = opt_.runs;
		jo.policy.max_runs = 2 * opt_.runs;
	}
	// The human lines are progress only; the outcome is read from the typed
	// result below.
	jo.on_line = [&](const std::string &line) {
		if (opt_.progress)
			opt_.progress(line);
	};
	std::shared_ptr<html::RunReportWriter> report;
	if (!opt_.report_dir.empty()) {
		report = std::make_shared<html::RunReportWriter>(
			(opt_.report_dir / run_report_path(c, mode)).parent_path(), [this](std::string_view e) {
				if (opt_.progress)
					opt_.progress(std::string("warning: run report: ") + std::string(e));
			});
		jo.on_report = [report](const nlohmann::json &j, bool final) { report->update(j, final); };
	}
	auto t0 = std::chrono::steady_clock::now();
	try {
		oracle::JudgeResult r = oracle::judge(jo);
		t = test_outcome(r.decision, r.evidence, jo.target);
		t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	} catch (const std::exception &e) {
		// A harness problem is never a kernel verdict.
		if (report)
			report->stopped(std::string("harness error: ") + e.what());
		t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		t.verdict = Verdict::error;
		t.reason = e.what();
		return t;
	}
	apply_mode(t, mode);
	return t;
}

} // namespace pipehang::bisect
