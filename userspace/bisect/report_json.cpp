#include "bisect/report_json.h"

namespace pipehang::bisect {

nlohmann::json commit_json(const Commit &c)
{
	return {{"id", c.id}, {"subject", c.subject}};
}

nlohmann::json to_json(const SearchedRevision &r)
{
	nlohmann::json j = commit_json(r.commit);
	j["found_by"] = to_string(r.found_by);
	j["tag"] = r.tag;
	j["distance"] = r.distance;
	j["label"] = r.label;
	j["verdict"] = to_string(r.verdict);
	j["reason"] = r.reason;
	return j;
}

// A merge culprit: both parents' verdicts and why the merge is first bad;
// null when the culprit is no merge.
nlohmann::json merge_json(const MergeCulprit &merge)
{
	if (!merge.is_merge)
		return nullptr;
	nlohmann::json m;
	m["parents"] = nlohmann::json::array();
	for (const auto &p : merge.parents) {
		nlohmann::json pj = commit_json(p.commit);
		pj["verdict"] = to_string(p.verdict);
		pj["tested"] = p.tested;
		pj["detail"] = p.detail;
		m["parents"].push_back(pj);
	}
	m["commits_brought_in"] = merge.commits_brought_in;
	m["entry_points"] = nlohmann::json::array();
	for (const auto &e : merge.entry_points)
		m["entry_points"].push_back(
			{{"name", e.name}, {"kind", e.kind}, {"id", e.commit_id}, {"subject", e.commit_subject}});
	m["sides_break_together"] = merge.sides_break_together;
	m["explanation"] = merge.explanation;
	return m;
}

// One revision evaluated: its role, verdict, reason, times, signature.
nlohmann::json tested_json(const TestedRevision &t)
{
	const Evaluation &e = t.eval;
	nlohmann::json tj = commit_json(t.commit);
	tj["role"] = t.role;
	tj["verdict"] = to_string(e.verdict());
	tj["title"] = e.test.title;
	tj["reason"] = e.build.ok ? e.test.reason : e.build.error;
	tj["build_seconds"] = e.build.seconds;
	tj["test_seconds"] = e.test.seconds;
	tj["signature"] = e.build.signature;
	tj["reused"] = e.reused;
	tj["reused_from"] = e.reused_from;
	tj["entry_unavailable"] = e.test.entry_unavailable;
	tj["lines"] = e.test.lines;
	return tj;
}

nlohmann::json bisection_json(const BisectionReport &r)
{
	nlohmann::json j;
	j["mode"] = r.mode.name;
	j["mode_description"] = r.mode.description;
	// Every revision evaluated, in order, with its role (the HTML report's
	// table and history are drawn from this).
	j["tested"] = nlohmann::json::array();
	for (const auto &t : r.tested)
		j["tested"].push_back(tested_json(t));
	j["completed"] = r.completed;
	j["error"] = r.error;
	j["harness_error"] = r.harness_error;
	j["given_good"] = r.given_good;
	j["given_bad"] = r.given_bad;
	j["good_end_was_bad"] = r.good_end_was_bad;
	j["good_end_search"] = {{"ran", r.search.ran},         {"from", r.search.from},
				{"limit", r.search.limit},     {"tag_pattern", r.search.tag_pattern},
				{"stopped", r.search.stopped}, {"searched", nlohmann::json::array()}};
	for (const auto &t : r.search.tried)
		j["good_end_search"]["searched"].push_back(to_json(t));
	j["found_good"] = r.search.found ? to_json(*r.search.found) : nlohmann::json(nullptr);
	j["found_good_by_tag"] = r.search.found && r.search.found->found_by == FoundBy::tag;
	j["good"] = r.good ? commit_json(*r.good) : nlohmann::json(nullptr);
	j["culprit"] = r.culprit ? commit_json(*r.culprit) : nlohmann::json(nullptr);
	j["candidates"] = nlohmann::json::array();
	for (const auto &c : r.candidates)
		j["candidates"].push_back(commit_json(c));
	j["culprit_signature"] = r.culprit_signature;
	j["parent_signature"] = r.parent_signature;
	j["same_signature_as_parent"] = r.same_signature_as_parent;
	j["verification"] = to_string(r.verification);
	j["verification_detail"] = r.verification_detail;
	j["false_culprit"] = r.false_culprit.reasons;
	j["merge"] = merge_json(r.merge);
	j["usage_error"] = r.usage_error;
	j["revisions_tested"] = r.revisions_tested;
	j["workers"] = r.workers;
	j["rounds"] = r.rounds;
	j["verdicts_reused"] = r.verdicts_reused;
	j["total_seconds"] = r.total_seconds;
	j["build_seconds"] = r.build_seconds;
	j["test_seconds"] = r.test_seconds;
	return j;
}

nlohmann::json session_json(const SessionReport &rep)
{
	nlohmann::json j;
	j["first"] = bisection_json(rep.first);
	j["rebisect"] = rep.rebisect ? bisection_json(*rep.rebisect) : nlohmann::json(nullptr);
	return j;
}

} // namespace pipehang::bisect
