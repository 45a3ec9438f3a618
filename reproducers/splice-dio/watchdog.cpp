#include "watchdog.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "sys/clock.h"

namespace pipehang::repro {

void Watchdog::start()
{
	thread_ = std::thread([this] {
		std::unique_lock<std::mutex> lock(mu_);
		for (;;) {
			if (stopped_)
				return;
			const double left = deadline_ms_ - sys::monotonic_ms();
			if (left <= 0)
				break;
			cv_.wait_for(lock, std::chrono::microseconds(static_cast<long long>(left * 1000.0) + 1));
		}
		lock.unlock();
		fire();
	});
}

void Watchdog::stop()
{
	{
		std::lock_guard<std::mutex> lock(mu_);
		stopped_ = true;
	}
	cv_.notify_all();
	if (thread_.joinable())
		thread_.join();
}

void Watchdog::fire()
{
	std::unique_lock<std::mutex> report(live_.report_mutex());
	if (!live_.in_iteration) {
		// Between iterations: the main loop checks the deadline itself and
		// ends the run. Give it a moment; if it is stuck anyway, leave.
		report.unlock();
		std::unique_lock<std::mutex> lock(mu_);
		if (cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stopped_; }))
			return;
		std::fprintf(stderr, "repro-splice-dio: TIME_LIMIT: --time-limit %g s reached outside an iteration\n",
			     limit_s_);
		::_exit(1);
	}
	IterationRecord rec;
	std::string file_name;
	live_.snapshot(rec, file_name);
	LiveFlags *f = live_.flags();
	const long long now = now_us();
	char limit_buf[32];
	std::snprintf(limit_buf, sizeof limit_buf, "%g s", limit_s_);
	const std::string limit = limit_buf;
	rec.timed_out = true;
	rec.bytes_spliced = f->bytes_spliced.load();
	rec.closer_tid = f->closer_tid.load();
	rec.splicer_tids.clear();
	for (unsigned i = 0; i < rec.threads && i < static_cast<unsigned>(LiveFlags::kMaxSplicers); ++i)
		rec.splicer_tids.push_back(f->splicer_tids[i].load());
	const bool in_close = f->close_entered.load() && !f->close_returned.load();
	const int entered = f->splicers_entered.load();
	const bool in_splice = entered > f->splicers_returned.load();
	if (entered > 0) {
		const long long end = in_splice ? now : f->last_splice_end_us.load();
		rec.splice_ms = (end - f->first_splice_start_us.load()) / 1000.0;
	}
	if (f->close_entered.load()) {
		const long long end = in_close ? now : f->close_end_us.load();
		rec.close_ms = (end - f->close_start_us.load()) / 1000.0;
		rec.overlap = f->close_start_us.load() < (in_splice ? now : f->last_splice_end_us.load());
	}
	// Blocked inside splice() on the O_DIRECT ext4 file counts as exercised:
	// that is the very state the hang needs.
	rec.exercised = is_ext4_ && rec.o_direct && (rec.bytes_spliced > 0 || in_splice);
	if (in_close) {
		rec.fail(Outcome::kFailure, "close", ETIMEDOUT, "TIME_LIMIT",
			 "TIME_LIMIT: --time-limit " + limit +
				 " reached while close() of the pipe write end was still blocked" +
				 (in_splice ? " and splice() still running (pipe_release waiting for pipe->mutex held "
					      "by splice)"
					    : ""));
	} else if (in_splice) {
		rec.fail(Outcome::kFailure, "splice", ETIMEDOUT, "TIME_LIMIT",
			 "TIME_LIMIT: --time-limit " + limit +
				 " reached while splice() into the O_DIRECT file was still running");
	} else {
		rec.fail(Outcome::kFailure, "time_limit", ETIMEDOUT, "TIME_LIMIT",
			 "TIME_LIMIT: --time-limit " + limit + " reached before the iteration reached splice()");
	}
	emit_line(to_json_line(rec));
	std::fprintf(stderr, "repro-splice-dio: %s\n", rec.reason.c_str());
	if (pid_t child = live_.child(); child > 0)
		::kill(child, SIGKILL);
	if (!live_.keep_files() && !file_name.empty() && live_.dirfd() >= 0)
		::unlinkat(live_.dirfd(), file_name.c_str(), 0);
	::_exit(1);
}

} // namespace pipehang::repro
