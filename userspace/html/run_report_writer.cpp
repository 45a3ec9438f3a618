#include "html/run_report_writer.h"

#include "html/run_report.h"

namespace pipehang::html {

void RunReportWriter::update(const nlohmann::json &judgement, bool final)
{
	last_ = judgement;
	write(judgement, !final);
}

void RunReportWriter::stopped(const std::string &why)
{
	if (last_.is_null())
		return; // nothing was written: no page to correct
	last_["stopped"] = why;
	write(last_, false);
}

void RunReportWriter::write(const nlohmann::json &j, bool in_progress)
{
	try {
		write_run_report(dir_, j, in_progress);
	} catch (const std::exception &e) {
		if (!failed_ && warn_)
			warn_(e.what());
		failed_ = true;
	}
}

} // namespace pipehang::html
