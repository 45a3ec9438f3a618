#include "bisect/report_writer.h"

#include "bisect/report_data.h"
#include "html/bisect_report.h"

namespace pipehang::bisect {

void BisectReportWriter::start()
{
	write({}, BisectionReport{}, true);
}

void BisectReportWriter::step(const BisectionReport &current, bool done)
{
	nlohmann::json j = with_run_links(current, dir_);
	std::vector<nlohmann::json> all = done_;
	all.push_back(j);
	if (done)
		done_.push_back(j);
	write(all, current, true);
}

void BisectReportWriter::finish(const SessionReport &rep)
{
	std::vector<nlohmann::json> all = {with_run_links(rep.first, dir_)};
	if (rep.rebisect)
		all.push_back(with_run_links(*rep.rebisect, dir_));
	write(all, rep.rebisect ? *rep.rebisect : rep.first, false);
}

void BisectReportWriter::write(const std::vector<nlohmann::json> &bisections, const BisectionReport &latest,
			       bool in_progress)
{
	// The line reaches back to the good ends found so far; walked again
	// only when they change (a git call per commit).
	std::set<std::string> ends = line_ends(latest);
	ends.insert(ends_.begin(), ends_.end());
	if (ends != ends_ || history_.is_null()) {
		ends_ = ends;
		try {
			history_ = first_parent_line(repo_, bad_, ends_, kHistoryLimit);
		} catch (const std::exception &) {
			history_ = nlohmann::json::array(); // drawn without the line
		}
	}
	nlohmann::json data = {{"tree", header_.tree},
			       {"given_good", header_.given_good},
			       {"given_bad", header_.given_bad},
			       {"history", history_},
			       {"bisections", bisections}};
	try {
		html::write_bisect_report(dir_, data, in_progress);
	} catch (const std::exception &e) {
		if (!warned_ && warn_)
			warn_(e.what());
		warned_ = true;
	}
}

} // namespace pipehang::bisect
