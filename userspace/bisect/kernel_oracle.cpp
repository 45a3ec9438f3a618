#include "bisect/kernel_oracle.h"

#include "bisect/kernel_signature.h"
#include "guest/process.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace pipehang::bisect {

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

// `pipehang run --json` prints the verdict object; accept it alone or as the
// last JSON line among human lines.
std::optional<nlohmann::json> find_verdict(const std::string &out)
{
	auto whole = nlohmann::json::parse(out, nullptr, false);
	if (!whole.is_discarded() && whole.is_object())
		return whole;
	auto lines = split_lines(out);
	for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
		if (it->empty() || (*it)[0] != '{')
			continue;
		auto j = nlohmann::json::parse(*it, nullptr, false);
		if (!j.is_discarded() && j.is_object())
			return j;
	}
	return std::nullopt;
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

std::vector<std::string> run_args_for(const Mode &mode)
{
	std::vector<std::string> a;
	if (!mode.entry.empty() && mode.entry != "auto")
		a.insert(a.end(), {"--entry", mode.entry});
	if (mode.fallback)
		a.push_back("--fallback");
	return a;
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

BuildOutcome KernelOracle::build(const Commit &c)
{
	BuildOutcome b;
	std::vector<std::string> argv = {opt_.build_script.string(), "--jobs", std::to_string(opt_.jobs),
					 opt_.tree.string()};
	guest::ProcOptions po = guest::timed(opt_.build_timeout);
	auto r = guest::run_process(argv, po);
	b.seconds = r.seconds;
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
	return b;
}

TestOutcome KernelOracle::test(const Commit &, const Mode &mode)
{
	TestOutcome t;
	std::vector<std::string> argv = {opt_.pipehang.string(), "run", "--kernel", opt_.tree.string(), "--json"};
	if (opt_.runs > 0)
		argv.insert(argv.end(), {"--runs", std::to_string(opt_.runs)});
	auto margs = run_args_for(mode);
	argv.insert(argv.end(), margs.begin(), margs.end());
	argv.insert(argv.end(), opt_.run_args.begin(), opt_.run_args.end());

	guest::ProcOptions po = guest::timed(opt_.test_timeout);
	auto r = guest::run_process(argv, po);
	t.seconds = r.seconds;
	if (!r.started || r.timed_out || r.term_signal) {
		t.verdict = Verdict::error;
		t.reason = fmt::format("pipehang run {}", r.started ? r.describe() : r.start_error);
		return t;
	}
	t.verdict = verdict_from_exit_code(r.exit_code);
	// Human lines go to stderr (syzbot wording); keep the run lines.
	for (const auto &l : split_lines(r.errors)) {
		if (l.rfind("run #", 0) == 0 || l.rfind("all runs:", 0) == 0 || l.rfind("boot failed", 0) == 0 ||
		    l.find("verdict") != std::string::npos)
			t.lines.push_back(l);
	}
	auto verdict = find_verdict(r.output);
	if (verdict) {
		RunFacts f = facts_from_verdict_json(*verdict);
		t.title = f.title;
		if (t.verdict != Verdict::good && t.verdict != Verdict::bad)
			t.reason = f.reason;
		if (!f.unavailable_entries.empty()) {
			t.entry_unavailable = true;
			t.unavailable_entry = f.unavailable_entries.front();
		}
	} else if (t.verdict != Verdict::error) {
		t.verdict = Verdict::error;
		t.reason = "pipehang run printed no JSON verdict";
	}
	if (t.verdict == Verdict::error && t.reason.empty())
		t.reason = fmt::format("pipehang run: {}: {}", r.describe(), tail_lines(r.errors, 3));
	apply_mode(t, mode);
	return t;
}

} // namespace pipehang::bisect
