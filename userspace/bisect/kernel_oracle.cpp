#include "bisect/kernel_oracle.h"

#include "bisect/kernel_signature.h"
#include "oracle/judge.h"
#include "util/interrupt.h"
#include "util/process.h"
#include "util/sha256.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace pipehang::bisect {

using namespace pipehang::util;

namespace {

void walk(const nlohmann::json &j, RunFacts &f)
{
	if (j.is_object()) {
		// A reproducer line (contract 1) whose entry point was missing.
		if (j.contains("tool") && j.contains("entry") && j.value("exercised", true) == false) {
			bool enosys = (j.contains("reason_code") && j["reason_code"] == "ENOSYS") ||
				      (j.contains("error") && j["error"] == "ENOSYS");
			if (enosys && j["entry"].is_string()) {
				std::string e = j["entry"];
				if (std::find(f.unavailable_entries.begin(), f.unavailable_entries.end(), e) ==
				    f.unavailable_entries.end())
					f.unavailable_entries.push_back(e);
			}
		}
		if (f.title.empty() && j.contains("title") && j["title"].is_string())
			f.title = j["title"];
		for (const auto &[k, v] : j.items())
			walk(v, f);
	} else if (j.is_array()) {
		for (const auto &v : j)
			walk(v, f);
	}
}

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

RunFacts facts_from_verdict_json(const nlohmann::json &verdict)
{
	RunFacts f;
	walk(verdict, f);
	if (verdict.is_object() && verdict.contains("reason") && verdict["reason"].is_string())
		f.reason = verdict["reason"];
	return f;
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
	if (!opt_.config.empty())
		argv.insert(argv.end(), {"--config", opt_.config.string()});
	if (!opt_.fragment.empty())
		argv.insert(argv.end(), {"--fragment", opt_.fragment.string()});
	argv.push_back(opt_.tree.string());
	util::ProcOptions po = util::timed(opt_.build_timeout);
	auto r = util::run_process(argv, po);
	b.seconds = r.seconds;
	// Ctrl-C during a build must stop the bisection, not read as "skip".
	util::check_interrupted();
	if (r.started && !r.timed_out && r.term_signal == 0 && r.exit_code == kConfigUnusable) {
		// Not this revision's fault: the user's config lacks what the
		// oracle needs, and would on every revision.
		b.config_error = true;
		std::vector<std::string> missing;
		for (const auto &l : split_lines(r.errors))
			if (l.rfind("  CONFIG_", 0) == 0)
				missing.push_back(l.substr(2));
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

TestOutcome KernelOracle::test(const Commit &, const Mode &mode)
{
	TestOutcome t;
	oracle::JudgeOptions jo;
	jo.kernel = opt_.tree.string();
	jo.image = opt_.image;
	jo.fallback = mode.fallback; // without it the reproducer uses openat2 only
	if (opt_.runs > 0) {
		jo.policy.runs = opt_.runs;
		jo.policy.max_runs = 2 * opt_.runs;
	}
	jo.on_line = [&](const std::string &line) {
		if (opt_.progress)
			opt_.progress(line);
		if (line.rfind("run #", 0) == 0 || line.rfind("all runs:", 0) == 0 || line.rfind("boot failed", 0) == 0)
			t.lines.push_back(line);
	};
	auto t0 = std::chrono::steady_clock::now();
	try {
		oracle::JudgeResult r = oracle::judge(jo);
		t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		t.verdict = r.decision.verdict; // one verdict type: no translation
		RunFacts f = facts_from_verdict_json(r.json);
		if (t.verdict == Verdict::bad)
			t.title = jo.target; // rule 3: bad means the target report appeared
		else if (t.verdict == Verdict::skip)
			t.reason = r.decision.reason;
		if (!f.unavailable_entries.empty()) {
			t.entry_unavailable = true;
			t.unavailable_entry = f.unavailable_entries.front();
		}
	} catch (const std::exception &e) {
		// A harness problem is never a kernel verdict.
		t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
		t.verdict = Verdict::error;
		t.reason = e.what();
		return t;
	}
	apply_mode(t, mode);
	return t;
}

} // namespace pipehang::bisect
