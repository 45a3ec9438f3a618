#include "bisect/report_ktap.h"

#include "oracle/ktap.h"

#include <fmt/format.h>

#include <vector>

namespace pipehang::bisect {

namespace {

std::string revision_name(const Commit &c)
{
	return short_id(c) + " " + c.subject;
}

std::string bisection_test(const BisectionReport &r, int number, const std::string &name)
{
	std::string out;
	if (!r.tested.empty()) {
		out += oracle::ktap_subtests_header(name, r.tested.size());
		int n = 0;
		for (const auto &t : r.tested) {
			const Evaluation &e = t.eval;
			std::vector<std::string> diagnostics = {
				t.role + (e.reused ? ", verdict reused from " + e.reused_from.substr(0, 12) : "")};
			diagnostics.insert(diagnostics.end(), e.test.lines.begin(), e.test.lines.end());
			std::string verdict(to_string(e.verdict()));
			std::string why = !e.build.ok                   ? "kernel build failed: " + e.build.error
					  : e.verdict() == Verdict::bad ? e.test.title
									: e.test.reason;
			out += oracle::ktap_verdict_test(verdict, why, diagnostics, ++n, revision_name(t.commit), 1);
		}
	}
	if (!r.completed)
		return out + oracle::ktap_error_test(r.error, number, name);
	std::vector<std::string> diagnostics;
	if (r.culprit)
		diagnostics.push_back("first bad commit: " + r.culprit->id + " " + r.culprit->subject);
	else if (!r.candidates.empty())
		for (const auto &c : r.candidates)
			diagnostics.push_back("could be: " + revision_name(c));
	else
		diagnostics.push_back("no culprit");
	if (r.verification != Verification::not_run)
		diagnostics.push_back(fmt::format("culprit verification: {}", to_string(r.verification)));
	for (const auto &f : r.false_culprit.reasons)
		diagnostics.push_back("false-culprit check: " + f);
	return out + oracle::ktap_verdict_test("good", "", diagnostics, number, name);
}

} // namespace

std::string session_ktap(const SessionReport &rep)
{
	std::vector<std::string> tests;
	auto range = [](const BisectionReport &r) {
		return (r.given_good.empty() ? std::string("(search back)") : r.given_good) + ".." + r.given_bad;
	};
	tests.push_back(bisection_test(rep.first, 1, rep.first.mode.name + " mode " + range(rep.first)));
	if (rep.rebisect)
		tests.push_back(
			bisection_test(*rep.rebisect, 2,
				       "re-bisection in " + rep.rebisect->mode.name + " mode " + range(*rep.rebisect)));
	return oracle::ktap_document(tests);
}

} // namespace pipehang::bisect
