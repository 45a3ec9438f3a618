// Keeps a bisection's HTML report (html/bisect_report.h) current while it
// runs: `pipehang bisect --report DIR` feeds it from Session::set_on_step
// (after every revision, and at each bisection's end) and once more with
// the finished SessionReport. The page is evidence beside the answer: a
// failure to write it is said once (WARN) and the bisection goes on.
#pragma once

#include "bisect/session.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace pipehang::bisect {

struct ReportHeader {
	std::string tree, given_good, given_bad; // as the user named them
};

class BisectReportWriter {
public:
	BisectReportWriter(Repo &repo, std::filesystem::path dir, ReportHeader header, Commit bad,
			   std::function<void(std::string_view)> warn)
	    : repo_(repo), dir_(std::move(dir)), header_(std::move(header)), bad_(std::move(bad)),
	      warn_(std::move(warn))
	{
	}

	// Before the first revision: the page exists from the start.
	void start();
	// CURRENT: the bisection in progress, or just ended (DONE); a second
	// bisection (the re-bisection) is drawn beside the ended first.
	void step(const BisectionReport &current, bool done);
	// The whole session, finished: the last page, not "in progress".
	void finish(const SessionReport &rep);

private:
	void write(const std::vector<nlohmann::json> &bisections, const BisectionReport &latest, bool in_progress);

	static constexpr int kHistoryLimit = 400; // first-parent commits drawn at most
	Repo &repo_;
	std::filesystem::path dir_;
	ReportHeader header_;
	Commit bad_;
	std::function<void(std::string_view)> warn_;
	std::vector<nlohmann::json> done_; // bisections that ended
	std::set<std::string> ends_;       // where the drawn line reaches back to
	nlohmann::json history_;
	bool warned_ = false;
};

} // namespace pipehang::bisect
