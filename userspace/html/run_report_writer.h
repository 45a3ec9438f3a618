// Keeps a judgement's HTML report (run_report.h) current while the
// judgement runs: `pipehang run --report` and each revision of `pipehang
// bisect --report` feed it the oracle's JSON after every boot and with the
// verdict (oracle::JudgeOptions::on_report). The page is evidence beside
// the verdict, never the verdict: a page that cannot be written is said
// once (WARN) and the work goes on. When the judgement ends without a
// verdict (interrupted, harness error) stopped() says so on the page, so
// it does not claim to be still running.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace pipehang::html {

class RunReportWriter {
public:
	RunReportWriter(std::filesystem::path dir, std::function<void(std::string_view)> warn)
	    : dir_(std::move(dir)), warn_(std::move(warn))
	{
	}

	void update(const nlohmann::json &judgement, bool final);
	// The judgement ended with no verdict: WHY ("interrupted", "harness
	// error: ...") on the last page written.
	void stopped(const std::string &why);
	bool failed() const { return failed_; }

private:
	void write(const nlohmann::json &j, bool in_progress);

	std::filesystem::path dir_;
	std::function<void(std::string_view)> warn_;
	nlohmann::json last_;
	bool failed_ = false;
};

} // namespace pipehang::html
