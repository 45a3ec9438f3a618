#include "oracle/ktap.h"

#include <fmt/format.h>

namespace pipehang::oracle {

using nlohmann::json;

namespace {

std::string indent(int depth)
{
	return std::string(4 * depth, ' ');
}

// Diagnostic data: one line, no '#' (it would start another directive).
std::string diagnostic(const std::string &text)
{
	std::string out;
	for (char c : text)
		out += c == '#' ? ' ' : (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out;
}

// A diagnostic line ("# ..."): anything may follow the '#', on one line.
std::string one_line(const std::string &text)
{
	std::string out;
	for (char c : text)
		out += (c == '\n' || c == '\r') ? ' ' : c;
	return out;
}

std::string str(const json &j, const char *key)
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string result_line(bool ok, int number, const std::string &name, const std::string &directive,
			const std::string &why)
{
	std::string line = fmt::format("{} {} {}", ok ? "ok" : "not ok", number, ktap_name(name));
	std::string tail = diagnostic(why);
	if (!directive.empty())
		line += " # " + directive + (tail.empty() ? "" : " " + tail);
	else if (!tail.empty())
		line += " # " + tail;
	return line + "\n";
}

// One run of the judgement's "runs" array.
std::string run_line(const json &run, int number)
{
	std::string name = run.contains("run") ? fmt::format("run_{}", run["run"].dump()) : "run";
	std::string status = str(run, "status"), title = str(run, "title"), detail = str(run, "detail");
	std::string holder =
		run.contains("holder") && run["holder"].is_string() ? run["holder"].get<std::string>() : "";
	std::string what = title.empty() ? detail : title + (holder.empty() ? "" : " [holder " + holder + "]");
	if (status == "clean")
		return result_line(true, number, name, "", "");
	if (status == "target")
		return result_line(false, number, name, "", what);
	if (status == "other-crash")
		return result_line(false, number, name, "", "other crash: " + what);
	if (status == "not-exercised")
		return result_line(true, number, name, "SKIP", "not exercised: " + detail);
	if (status == "repro-failed")
		return result_line(false, number, name, "ERROR", "reproducer failed: " + detail);
	if (status == "lost")
		return result_line(false, number, name, "TIMEOUT", "lost: " + detail);
	return result_line(false, number, name, "ERROR", "unknown run status '" + status + "'");
}

} // namespace

std::string ktap_subtests_header(const std::string &name, std::size_t count, int depth)
{
	const std::string in = indent(depth + 1);
	return in + "KTAP version 1\n" + in + "# Subtest: " + ktap_name(name) + "\n" +
	       fmt::format("{}1..{}\n", in, count);
}

std::string ktap_name(const std::string &text)
{
	std::string out = diagnostic(text);
	return out.empty() ? "unnamed" : out;
}

std::string ktap_kernel_test(const json &judgement, int number, const std::string &name, int depth)
{
	std::string out;
	const json runs = judgement.value("runs", json::array());
	const std::string in = indent(depth + 1);
	if (!runs.empty()) {
		out += ktap_subtests_header(name, runs.size(), depth);
		int n = 0;
		for (auto &run : runs)
			out += in + run_line(run, ++n);
	}
	const std::string verdict = str(judgement, "verdict"), reason = str(judgement, "reason");
	const int code = judgement.value("exit_code", -1);
	std::string error = str(judgement, "error");
	return out + ktap_verdict_test(verdict, verdict == "error" && !error.empty() ? error : reason,
				       {"verdict: " + verdict + (code >= 0 ? fmt::format(" (exit {})", code) : "") +
					(reason.empty() ? "" : ": " + reason)},
				       number, name, depth);
}

std::string ktap_verdict_test(const std::string &verdict, const std::string &reason,
			      const std::vector<std::string> &diagnostics, int number, const std::string &name,
			      int depth)
{
	std::string out;
	for (auto &d : diagnostics)
		out += indent(depth) + "# " + one_line(d) + "\n";
	out += indent(depth);
	if (verdict == "good")
		return out + result_line(true, number, name, "", "");
	if (verdict == "bad")
		return out + result_line(false, number, name, "", reason);
	if (verdict == "skip")
		return out + result_line(true, number, name, "SKIP", reason);
	return out + result_line(false, number, name, "ERROR", reason);
}

std::string ktap_error_test(const std::string &error, int number, const std::string &name, int depth)
{
	return indent(depth) + result_line(false, number, name, "ERROR", error);
}

std::string ktap_document(const std::vector<std::string> &tests)
{
	std::string out = fmt::format("KTAP version 1\n1..{}\n", tests.size());
	for (auto &t : tests)
		out += t;
	return out;
}

} // namespace pipehang::oracle
