#include "bisect/report_data.h"

#include "bisect/kernel_oracle.h"
#include "bisect/report_json.h"

namespace pipehang::bisect {

nlohmann::json first_parent_line(Repo &repo, const Commit &bad, const std::set<std::string> &stop_at, int limit)
{
	nlohmann::json line = nlohmann::json::array();
	std::set<std::string> left = stop_at;
	Commit c = bad;
	for (int i = 0; i < limit; i++) {
		auto parents = repo.parents_of(c);
		line.push_back({{"id", c.id}, {"subject", c.subject}, {"merge", parents.size() > 1}});
		left.erase(c.id);
		if ((!stop_at.empty() && left.empty()) || parents.empty())
			break;
		c = parents.front();
	}
	return line;
}

std::set<std::string> line_ends(const BisectionReport &r)
{
	std::set<std::string> ends;
	if (r.good)
		ends.insert(r.good->id);
	for (const auto &t : r.tested)
		if (t.role == "good end" || t.role == "search back")
			ends.insert(t.commit.id);
	return ends;
}

nlohmann::json with_run_links(const BisectionReport &r, const std::filesystem::path &report_dir)
{
	nlohmann::json j = bisection_json(r);
	for (std::size_t i = 0; i < r.tested.size() && i < j["tested"].size(); i++) {
		const auto &t = r.tested[i];
		Commit judged = t.eval.reused ? Commit{t.eval.reused_from, ""} : t.commit;
		std::string rel = run_report_path(judged, r.mode);
		std::error_code ec;
		if (std::filesystem::exists(report_dir / rel, ec))
			j["tested"][i]["report"] = rel;
	}
	return j;
}

} // namespace pipehang::bisect
